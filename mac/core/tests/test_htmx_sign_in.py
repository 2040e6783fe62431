"""An htmx request of a staff screen whose session has ended goes to the
sign-in page as a whole page (HX-Redirect), and comes back to the screen,
not to the fragment's address; other requests keep Django's redirect."""

from __future__ import annotations

import pytest
from django.test import Client

from mac.queueing.models import Counter
from mac.screens.tests.test_live_state_stream import Screen, make_screen

CALL = "/centros/lima-norte/modulo/llamar/"
DESK = "http://testserver/centros/lima-norte/modulo/"


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def test_an_htmx_action_after_the_session_ended_reloads_into_the_sign_in_page(
    screen: Screen,
) -> None:
    screen.sign_in_bob()

    response = Client().post(CALL, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=DESK)

    screen.counter.refresh_from_db()
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/personal/entrar/?next=%2Fcentros%2Flima-norte%2Fmodulo%2F"
    assert response.content == b""
    assert (screen.counter.status, screen.counter.current_ticket_id) == (Counter.Status.OPEN, None)


def test_it_keeps_the_screens_query(screen: Screen) -> None:
    response = Client().get(
        "/centros/lima-norte/orientacion/buscar/?q=dni",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/centros/lima-norte/orientacion/?q=dni",
    )

    assert response["HX-Redirect"] == (
        "/personal/entrar/?next=%2Fcentros%2Flima-norte%2Forientacion%2F%3Fq%3Ddni"
    )


def test_it_never_sends_back_to_another_site(screen: Screen) -> None:
    response = Client().post(
        CALL, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://example.com/modulo/"
    )

    assert response["HX-Redirect"] == "/personal/entrar/?next=%2F"


def test_a_plain_request_keeps_djangos_redirect(screen: Screen) -> None:
    response = Client().post(CALL)

    assert response.status_code == 302
    assert response["Location"] == "/personal/entrar/?next=/centros/lima-norte/modulo/llamar/"
    assert not response.has_header("HX-Redirect")


def test_other_htmx_redirects_are_left_alone(screen: Screen) -> None:
    client = Client()
    client.force_login(screen.bob)

    response = client.get("/centros/lima-norte/modulo", HTTP_HX_REQUEST="true")

    assert response.status_code == 301
    assert response["Location"] == "/centros/lima-norte/modulo/"
    assert not response.has_header("HX-Redirect")


class TestStaleToken:
    """A screen left open while its account signed in again elsewhere holds
    an old CSRF token: its htmx actions reload the screen, and do nothing."""

    def test_an_htmx_action_with_a_stale_token_reloads_the_screen(self, screen: Screen) -> None:
        screen.sign_in_bob()
        screen.issue()
        client = Client(enforce_csrf_checks=True)
        client.force_login(screen.bob)

        response = client.post(CALL, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=DESK)

        screen.counter.refresh_from_db()
        assert response.status_code == 200
        assert response["HX-Refresh"] == "true"
        assert response.content == b""
        assert screen.counter.current_ticket_id is None

    def test_a_plain_form_keeps_djangos_refusal(self, screen: Screen) -> None:
        screen.sign_in_bob()
        client = Client(enforce_csrf_checks=True)
        client.force_login(screen.bob)

        response = client.post(CALL)

        assert response.status_code == 403
        assert "CSRF" in response.content.decode()
        assert not response.has_header("HX-Refresh")
