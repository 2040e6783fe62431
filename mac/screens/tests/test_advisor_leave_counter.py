"""The advisor leaves the counter with "Dejar el módulo" (key S): the
advisor session at the counter ends, the account stays signed in. It is
worded apart from the header's "Salir de la cuenta", which leaves the
account; in the middle of an attention it is refused and nothing changes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from mac.queueing import actions
from mac.queueing.models import AdvisorSession, Counter, Ticket

from .test_live_state_stream import Screen, make_screen

URL = "/centros/lima-norte/modulo/"
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def desk(screen: Screen, language: str = "es") -> Client:
    client = Client()
    client.force_login(screen.bob)
    client.cookies["django_language"] = language
    return client


def button(html: str) -> str:
    found = re.search(r'<button[^>]*id="salir"[^>]*>\s*(.*?)\s*</button>', html, re.S)
    assert found is not None, html
    return found[1]


class TestAdvisorLeavesTheCounter:
    @pytest.mark.parametrize(
        ("language", "label", "account", "done"),
        [
            ("es", "Dejar el módulo", "Salir de la cuenta", "Dejó el Módulo 1."),
            ("qu", "Módulota saqiy", "Cuentamanta lluqsiy", "Módulo 1-ta saqinkiña."),
        ],
    )
    def test_it_leaves_the_counter_and_stays_signed_in(
        self, screen: Screen, language: str, label: str, account: str, done: str
    ) -> None:
        screen.sign_in_bob()
        client = desk(screen, language)

        page = client.get(URL).content.decode()
        response = client.post(f"{URL}salir/", **HX)

        assert button(page) == f"{label} <kbd>S</kbd>"
        assert f'<button class="sign-out__button" type="submit">{account}</button>' in page
        html = response.content.decode()
        assert response.status_code == 200
        assert f'<p class="advisor-message advisor-message--done">{done}</p>' in html
        counter = Counter.objects.get(pk=screen.counter.pk)
        assert (counter.status, counter.advisor_id) == (Counter.Status.CLOSED, None)
        assert AdvisorSession.objects.get(advisor=screen.bob).ended_at is not None
        assert int(client.session[SESSION_KEY]) == screen.bob.pk

    def test_it_is_refused_in_the_middle_of_an_attention(self, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        ticket = screen.issue()
        actions.call_next(counter, by=screen.bob)
        client = desk(screen)

        response = client.post(f"{URL}salir/", {"ticket": ticket.pk}, **HX)

        assert response.status_code == 409
        assert "Termine la atención en curso antes de dejar el módulo." in (
            response.content.decode()
        )
        counter.refresh_from_db()
        assert (counter.advisor_id, counter.current_ticket_id) == (screen.bob.pk, ticket.pk)
        assert Ticket.objects.get().state == Ticket.State.CALLED
        assert AdvisorSession.objects.get(advisor=screen.bob).ended_at is None
