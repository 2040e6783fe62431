"""The citizen's status page: position, estimated wait, the call, and no
personal data; forged tokens get a Spanish 404, old visits a clear page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from mac.core.testing import CITIZEN_DNI
from mac.queueing import actions
from mac.queueing.models import PriorityReason

from .test_live_state_stream import Screen, make_screen


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def url(ticket) -> str:  # type: ignore[no-untyped-def]
    return f"/turno/{ticket.visit.token}/"


def fact(html: str, role: str) -> str:
    return html.split(f'data-role="{role}">')[1].split("<")[0]


class TestStatusPage:
    def test_it_shows_position_and_estimated_wait(self, client: Client, screen: Screen) -> None:
        screen.sign_in_bob()
        screen.issue()
        mine = screen.issue(document_type="dni", document_number=CITIZEN_DNI)

        response = client.get(url(mine))

        html = response.content.decode()
        assert response.status_code == 200
        assert '<h2 class="status-ticket__code" id="ticket-' in html
        assert ">R-002</h2>" in html
        assert fact(html, "position") == "2"
        assert fact(html, "wait").startswith("unos ")
        assert fact(html, "wait").endswith("minutos") or fact(html, "wait") == "unos 1 minuto"

    def test_it_says_when_no_counter_serves_yet(self, client: Client, screen: Screen) -> None:
        mine = screen.issue()
        html = client.get(url(mine)).content.decode()
        assert fact(html, "wait") == (
            "Por confirmar: aún no hay un módulo abierto para este trámite"
        )

    def test_it_puts_priority_attention_first(self, client: Client, screen: Screen) -> None:
        screen.issue()
        older = screen.issue(priority_reason=PriorityReason.OLDER_ADULT)
        assert fact(client.get(url(older)).content.decode(), "position") == "1"

    def test_it_says_its_your_turn_when_called(self, client: Client, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        mine = screen.issue()
        actions.call_next(counter, by=screen.bob)

        html = client.get(url(mine)).content.decode()

        assert fact(html, "call") == "Es tu turno: acércate al Módulo 1"

    def test_it_shows_no_personal_data(self, client: Client, screen: Screen) -> None:
        mine = screen.issue(document_type="dni", document_number=CITIZEN_DNI)
        html = client.get(url(mine)).content.decode()
        assert CITIZEN_DNI not in html
        assert "DNI:" not in html

    def test_it_follows_a_transfer_on_the_same_visit(self, client: Client, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        mine = screen.issue()
        actions.call_next(counter, by=screen.bob)
        actions.transfer(mine, screen.ruc, by=screen.bob)

        html = client.get(url(mine)).content.decode()

        assert "Te derivaron a otro servicio" in html
        assert ">S-001</h2>" in html

    def test_its_partial_is_the_same_state(self, client: Client, screen: Screen) -> None:
        mine = screen.issue()
        page = client.get(url(mine)).content.decode()
        partial = client.get(url(mine) + "estado/").content.decode()
        assert partial.strip() in page

    def test_it_is_kept_out_of_caches_and_referrers(self, client: Client, screen: Screen) -> None:
        response = client.get(url(screen.issue()))
        assert response["Cache-Control"] == "no-store"
        assert response["Referrer-Policy"] == "no-referrer"


class TestStatusPageBadTokens:
    @pytest.mark.parametrize(
        "token",
        ["forjado-123", "x" * 200, "%00", "A" * 32],
        ids=["forged", "too-long", "nul", "token-shaped"],
    )
    def test_it_answers_404_in_spanish(self, client: Client, screen: Screen, token: str) -> None:
        screen.issue()
        response = client.get(f"/turno/{token}/")
        assert response.status_code == 404
        assert "Turno no encontrado" in response.content.decode()
        assert client.get(f"/turno/{token}/estado/").status_code == 404

    def test_it_says_a_visit_of_another_day_is_no_longer_valid(
        self, client: Client, screen: Screen
    ) -> None:
        yesterday = timezone.now() - dt.timedelta(days=1)
        old = screen.issue(now=yesterday)

        response = client.get(url(old))

        assert response.status_code == 410
        html = response.content.decode()
        assert "Este turno ya no está vigente" in html
        assert "R-001" not in html
        assert client.get(url(old) + "estado/").status_code == 410
