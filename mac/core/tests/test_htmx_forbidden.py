"""An htmx request of a staff screen that its view refuses to the account
(PermissionDenied, e.g. the advisor's role changed while the desk was open)
sends the browser (HX-Redirect) to the 403 page at /sin-acceso/, with the
view's reason and a link back to the screen, instead of the 403 page swapped
into a panel; nothing is done. A plain request keeps the 403 page, and a
refusal the screen shows in its own panel with a 403 (another entity's
counter) is left as it is."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from mac.accounts.models import Role, User
from mac.centers.models import Center
from mac.core.models import AuditLog
from mac.queueing.models import Counter, Ticket
from mac.screens.tests.test_live_state_stream import Screen, make_screen

DESK = "/centros/lima-norte/modulo/"
CALL = f"{DESK}llamar/"
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": f"http://testserver{DESK}"}
REASON = "Esta pantalla es para los asesores de este Centro MAC."


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def made_coordinator(screen: Screen) -> Client:
    """Bob's desk is open, at Módulo 1, a citizen waiting; then an admin makes
    him the center's coordinator."""
    screen.sign_in_bob()
    screen.issue()
    client = Client()
    client.force_login(screen.bob)
    User.objects.filter(pk=screen.bob.pk).update(role=Role.CENTER_COORDINATOR)
    return client


def sent_to(client: Client, response: Any) -> Any:
    """The page the browser goes to (HX-Redirect), as it would fetch it."""
    target = urlsplit(response["HX-Redirect"])
    assert target.path == "/sin-acceso/"
    return client.get(f"{target.path}?{target.query}")


def state(screen: Screen) -> tuple:
    counter = Counter.objects.get(pk=screen.counter.pk)
    tickets = list(Ticket.objects.values_list("code", "state"))
    return counter.status, counter.current_ticket_id, tickets, AuditLog.objects.count()


class TestHtmxForbidden:
    def test_an_htmx_action_goes_to_the_403_page_and_does_nothing(self, screen: Screen) -> None:
        client = made_coordinator(screen)
        before = state(screen)

        response = client.post(CALL, **HX)

        assert response.status_code == 403
        assert response["HX-Redirect"].startswith("/sin-acceso/?r=")
        assert not response.has_header("HX-Refresh")
        assert response.content == b""
        assert state(screen) == before
        assert before[:3] == (Counter.Status.OPEN, None, [("R-001", "waiting")])

    def test_the_403_page_gives_the_reason_and_the_way_back(self, screen: Screen) -> None:
        client = made_coordinator(screen)

        page = sent_to(client, client.post(CALL, **HX))

        html = page.content.decode()
        assert page.status_code == 403
        assert '<h1 class="heading-xl">Sin acceso a esta página</h1>' in html
        assert REASON in html
        assert f'<a href="{DESK}">Volver a la pantalla</a>' in html
        assert '<a href="/personal/entrar/?next=/centros/lima-norte/modulo/">' in html
        assert 'id="panel"' not in html
        assert "hx-" not in html

    def test_the_screen_itself_is_the_403_page_too(self, screen: Screen) -> None:
        client = made_coordinator(screen)

        page = client.get(DESK)

        html = page.content.decode()
        assert page.status_code == 403
        assert REASON in html
        assert 'id="panel"' not in html

    def test_an_htmx_refresh_of_a_part_goes_there_too(self, screen: Screen) -> None:
        client = made_coordinator(screen)

        response = client.get(f"{DESK}espera/", **HX)

        assert response.status_code == 403
        assert REASON in sent_to(client, response).content.decode()

    def test_the_orientation_desk_goes_there_too(self, screen: Screen) -> None:
        client = Client()
        client.force_login(screen.olga)
        # moved to another center's desk while this one is open
        User.objects.filter(pk=screen.olga.pk).update(center=Center.objects.get(slug="arequipa"))
        headers = {**HX, "HTTP_HX_CURRENT_URL": "http://testserver/centros/lima-norte/orientacion/"}

        response = client.get("/centros/lima-norte/orientacion/buscar/?q=dni", **headers)

        assert (response.status_code, response.content) == (403, b"")
        html = sent_to(client, response).content.decode()
        assert '<a href="/centros/lima-norte/orientacion/">Volver a la pantalla</a>' in html

    def test_a_plain_request_keeps_the_403_page(self, screen: Screen) -> None:
        client = made_coordinator(screen)
        before = state(screen)

        response = client.post(CALL)

        assert response.status_code == 403
        assert REASON in response.content.decode()
        assert not response.has_header("HX-Refresh")
        assert state(screen) == before

    def test_a_refusal_shown_in_the_panel_stays_in_the_panel(self, screen: Screen) -> None:
        client = Client()
        client.force_login(screen.bob)

        response = client.post(f"{DESK}ingresar/", {"counter": screen.sunat_counter.pk}, **HX)

        html = response.content.decode()
        assert response.status_code == 403
        assert not response.has_header("HX-Refresh")
        assert html.startswith('<div id="panel"')
        assert "El Módulo 3 es de SUNAT en Centro MAC Lima Norte." in html
        assert Counter.objects.get(pk=screen.sunat_counter.pk).advisor_id == screen.sunat_advisor.pk
