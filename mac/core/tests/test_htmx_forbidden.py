"""An htmx request of a staff screen that its view refuses to the account
(PermissionDenied, e.g. the advisor's role changed while the desk was open)
reloads the screen (HX-Refresh), which is then the 403 page with its reason,
instead of the 403 page swapped into a panel; nothing is done. A plain
request keeps the 403 page, and a refusal the screen shows in its own panel
with a 403 (another entity's counter) is left as it is."""

from __future__ import annotations

from typing import Any

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


def state(screen: Screen) -> tuple:
    counter = Counter.objects.get(pk=screen.counter.pk)
    tickets = list(Ticket.objects.values_list("code", "state"))
    return counter.status, counter.current_ticket_id, tickets, AuditLog.objects.count()


class TestHtmxForbidden:
    def test_an_htmx_action_reloads_the_screen_and_does_nothing(self, screen: Screen) -> None:
        client = made_coordinator(screen)
        before = state(screen)

        response = client.post(CALL, **HX)

        assert response.status_code == 403
        assert response["HX-Refresh"] == "true"
        assert response.content == b""
        assert state(screen) == before
        assert before[:3] == (Counter.Status.OPEN, None, [("R-001", "waiting")])

    def test_the_reloaded_screen_is_the_403_page_with_the_reason(self, screen: Screen) -> None:
        client = made_coordinator(screen)

        page = client.get(DESK)

        html = page.content.decode()
        assert page.status_code == 403
        assert '<h1 class="heading-xl">Sin acceso a esta página</h1>' in html
        assert REASON in html
        assert 'id="panel"' not in html

    def test_an_htmx_refresh_of_a_part_reloads_too(self, screen: Screen) -> None:
        client = made_coordinator(screen)

        response = client.get(f"{DESK}espera/", **HX)

        assert (response.status_code, response["HX-Refresh"]) == (403, "true")

    def test_the_orientation_desk_reloads_too(self, screen: Screen) -> None:
        client = Client()
        client.force_login(screen.olga)
        # moved to another center's desk while this one is open
        User.objects.filter(pk=screen.olga.pk).update(center=Center.objects.get(slug="arequipa"))

        response = client.get("/centros/lima-norte/orientacion/buscar/?q=dni", **HX)

        assert (response.status_code, response["HX-Refresh"]) == (403, "true")
        assert response.content == b""

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
