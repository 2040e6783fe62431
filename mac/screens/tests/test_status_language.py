"""The status page speaks the language the citizen asked for at the kiosk or
the desk (the visit's), unless the phone chose another."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mac.queueing.models import Visit

from .test_live_state_stream import Screen, make_screen


@pytest.fixture
def screen(db: None) -> Screen:
    made = make_screen()
    # A DNI counter speaks Quechua and sign language: those tickets may be issued.
    made.counter.languages = ["es", "qu", "lsp"]
    made.counter.save(update_fields=["languages"])
    return made


def url(visit: Visit) -> str:
    return f"/turno/{visit.token}/"


class TestStatusLanguage:
    def test_it_opens_in_quechua_for_a_quechua_visit(self, client: Client, screen: Screen) -> None:
        # given: a ticket issued for a citizen served in Quechua
        ticket = screen.issue(language="qu")

        # when: the citizen's phone opens the QR (it says Spanish, no cookie)
        response = client.get(url(ticket.visit), HTTP_ACCEPT_LANGUAGE="es")
        partial = client.get(url(ticket.visit) + "estado/", HTTP_ACCEPT_LANGUAGE="es")

        # then
        html = response.content.decode()
        assert '<html lang="qu">' in html
        assert "Filapi maypi kasqayki" in html and "Tu lugar en la fila" not in html
        assert response["Content-Language"] == "qu"
        assert "Filapi maypi kasqayki" in partial.content.decode()
        assert partial["Content-Language"] == "qu"

    def test_it_keeps_the_language_the_phone_chose(self, client: Client, screen: Screen) -> None:
        ticket = screen.issue(language="qu")
        client.cookies["django_language"] = "es"

        html = client.get(url(ticket.visit)).content.decode()

        assert '<html lang="es">' in html
        assert "Tu lugar en la fila" in html

    def test_it_stays_in_spanish_for_a_language_the_screens_do_not_speak(
        self, client: Client, screen: Screen
    ) -> None:
        ticket = screen.issue(language="lsp")

        html = client.get(url(ticket.visit)).content.decode()

        assert '<html lang="es">' in html
        assert "Tu lugar en la fila" in html

    def test_it_says_an_old_ticket_is_no_longer_valid_in_quechua(
        self, client: Client, screen: Screen
    ) -> None:
        ticket = screen.issue(language="qu")
        Visit.objects.filter(pk=ticket.visit_id).update(
            created_at=timezone.now() - dt.timedelta(days=2)
        )

        response = client.get(url(ticket.visit))

        assert response.status_code == 410
        assert '<html lang="qu">' in response.content.decode()
