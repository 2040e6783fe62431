"""Leaving the account: staff share the PCs of a center, so every staff page
offers "Salir de la cuenta" (a POST with the CSRF token). An advisor at a
counter leaves the counter too; one in the middle of an attention is told to
finish it and stays signed in, with nothing changed."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from mac.accounts.models import User
from mac.queueing import actions
from mac.queueing.models import AdvisorSession, Counter, Ticket
from mac.screens.tests.test_live_state_stream import Screen, make_screen

URL = "/personal/salir/"
BUTTON = "Salir de la cuenta"


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def signed_in(screen: Screen, user: User | None = None) -> Client:
    client = Client()
    client.force_login(user or screen.bob)
    return client


class TestSignOut:
    def test_it_signs_out_and_says_so_on_the_sign_in_page(self, screen: Screen) -> None:
        client = signed_in(screen, screen.olga)

        left = client.post(URL, {"next": "/centros/lima-norte/orientacion/"})
        page = client.get(left["Location"])

        assert left.status_code == 302
        assert left["Location"] == "/personal/entrar/?salida=1"
        assert SESSION_KEY not in client.session
        assert "Se cerró la sesión. Ya puede dejar este equipo." in page.content.decode()
        assert client.get("/centros/lima-norte/orientacion/").status_code == 302

    def test_an_advisor_at_a_counter_leaves_the_counter_too(self, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        client = signed_in(screen)

        left = client.post(URL)

        counter.refresh_from_db()
        assert left.status_code == 302
        assert SESSION_KEY not in client.session
        assert counter.status == Counter.Status.CLOSED
        assert counter.advisor_id is None
        session = AdvisorSession.objects.get(advisor=screen.bob)
        assert session.ended_at is not None

    def test_an_advisor_serving_a_citizen_stays_until_the_attention_ends(
        self, screen: Screen
    ) -> None:
        counter = screen.sign_in_bob()
        ticket = screen.issue()
        called = actions.call_next(counter, by=screen.bob)
        assert called is not None and called.pk == ticket.pk
        client = signed_in(screen)

        refused = client.post(URL, {"next": "/centros/lima-norte/modulo/"})

        counter.refresh_from_db()
        ticket.refresh_from_db()
        html = refused.content.decode()
        assert refused.status_code == 409
        assert "Termine la atención en curso antes de dejar el módulo." in html
        assert 'href="/centros/lima-norte/modulo/"' in html
        assert int(client.session[SESSION_KEY]) == screen.bob.pk
        assert counter.advisor_id == screen.bob.pk
        assert counter.current_ticket_id == ticket.pk
        assert ticket.state == Ticket.State.CALLED
        assert AdvisorSession.objects.get(advisor=screen.bob).ended_at is None

    def test_a_refusal_never_links_to_another_site(self, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        screen.issue()
        actions.call_next(counter, by=screen.bob)

        refused = signed_in(screen).post(URL, {"next": "https://example.com/"})

        assert refused.status_code == 409
        assert "example.com" not in refused.content.decode()
        assert 'href="/"' in refused.content.decode()

    def test_a_get_or_a_post_without_the_csrf_token_signs_nobody_out(self, screen: Screen) -> None:
        plain = signed_in(screen, screen.olga)
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(screen.olga)

        assert plain.get(URL).status_code == 405
        assert strict.post(URL).status_code == 403
        assert int(plain.session[SESSION_KEY]) == screen.olga.pk
        assert int(strict.session[SESSION_KEY]) == screen.olga.pk


class TestTheButton:
    def test_staff_pages_offer_it(self, screen: Screen) -> None:
        desk = signed_in(screen).get("/centros/lima-norte/modulo/").content.decode()
        orientation = (
            signed_in(screen, screen.olga).get("/centros/lima-norte/orientacion/").content.decode()
        )
        portal = signed_in(screen, screen.olga).get("/").content.decode()

        for html in (desk, orientation, portal):
            assert f'action="{URL}"' in html
            assert BUTTON in html
        assert "olga" in orientation

    def test_citizens_never_see_it(self, screen: Screen) -> None:
        html = Client().get("/").content.decode()

        assert BUTTON not in html
        assert URL not in html
