"""The display board renders the latest calls, waiting counts per entity and
notices, publicly, and embeds the same state for board.js."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from mac.queueing import actions
from mac.queueing.models import CenterQueue
from mac.screens import queries

from .test_live_state_stream import Screen, make_screen

URL = "/centros/lima-norte/pantalla/"


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def rows(html: str) -> list[tuple[str, str]]:
    body = html.split('id="llamados">')[1].split("</tbody>")[0]
    return re.findall(
        r'board-table__code">([^<]*)</td><td class="board-table__counter">([^<]*)<', body
    )


def counts(html: str) -> dict[str, str]:
    found = re.findall(
        r'board-waiting__name">([^<]*)</span> <span class="board-waiting__count">(\d+)<', html
    )
    return dict(found)


class TestBoardPage:
    def test_it_needs_no_login(self, client: Client, screen: Screen) -> None:
        response = client.get(URL)
        assert response.status_code == 200
        assert "Espera tu llamado" in response.content.decode()

    def test_it_answers_404_for_an_unknown_center(self, client: Client, screen: Screen) -> None:
        assert client.get("/centros/no-existe/pantalla/").status_code == 404

    def test_it_lists_the_latest_calls_newest_first(self, client: Client, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        first, second = screen.issue(), screen.issue()
        actions.call_next(counter, by=screen.bob)
        actions.start(first, by=screen.bob)
        actions.finish(first, by=screen.bob)
        actions.call_next(counter, by=screen.bob)
        ruc = screen.issue(screen.ruc)
        actions.call_next(screen.sunat_counter, by=screen.sunat_advisor)

        html = client.get(URL).content.decode()

        assert rows(html) == [("S-001", "Módulo 3"), ("R-002", "Módulo 1"), ("R-001", "Módulo 1")]
        assert f'data-ticket="{ruc.pk}">S-001</p>' in html
        assert second.pk != ruc.pk

    def test_it_moves_a_recalled_ticket_to_the_top(self, client: Client, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        first = screen.issue()
        screen.issue(screen.ruc)
        actions.call_next(counter, by=screen.bob)
        actions.call_next(screen.sunat_counter, by=screen.sunat_advisor)
        actions.recall(first, by=screen.bob)

        html = client.get(URL).content.decode()

        assert rows(html) == [("R-001", "Módulo 1"), ("S-001", "Módulo 3")]

    def test_it_keeps_only_the_last_six_calls(self, client: Client, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        for _ in range(8):
            ticket = screen.issue()
            actions.call_next(counter, by=screen.bob)
            actions.no_show(ticket, by=screen.bob)

        codes = [code for code, _ in rows(client.get(URL).content.decode())]

        assert codes == ["R-008", "R-007", "R-006", "R-005", "R-004", "R-003"]

    def test_it_counts_who_waits_per_entity(self, client: Client, screen: Screen) -> None:
        screen.issue()
        screen.issue(screen.acta)
        cancelled = screen.issue()
        actions.cancel(cancelled)

        html = client.get(URL).content.decode()

        assert counts(html) == {"RENIEC": "2", "SUNAT": "0"}

    def test_it_shows_the_centers_notices(self, client: Client, screen: Screen) -> None:
        CenterQueue.objects.filter(center=screen.center).update(
            params={"notices": "Hoy atendemos hasta las 6 p. m.\nTenga a la mano su DNI."}
        )
        html = client.get(URL).content.decode()
        notices = html.split('id="avisos">')[1].split("</ul>")[0]
        assert re.findall(r"<li>([^<]*)</li>", notices) == [
            "Hoy atendemos hasta las 6 p. m.",
            "Tenga a la mano su DNI.",
        ]

    def test_it_embeds_the_state_it_renders(self, client: Client, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        first = screen.issue(screen.acta)
        second = screen.issue()
        actions.call_next(counter, by=screen.bob)  # first in, first called (fifo)
        html = client.get(URL).content.decode()
        embedded = json.loads(
            html.split('id="board-state" type="application/json">')[1].split("</script>")[0]
        )

        assert embedded["calls"] == [
            {"ticket": first.pk, "code": "A-001", "counter": 1, "counter_label": "Módulo 1"}
        ]
        assert embedded["waiting"] == {str(second.pk): screen.reniec.pk}
        assert embedded["last_event"] == queries.last_event_id(screen.center)
        assert embedded["services"] == {
            str(screen.dni.pk): screen.reniec.pk,
            str(screen.acta.pk): screen.reniec.pk,
            str(screen.ruc.pk): screen.sunat.pk,
        }

    def test_its_json_state_matches_the_page(self, client: Client, screen: Screen) -> None:
        screen.issue(screen.ruc)
        data = client.get(URL + "estado.json").json()
        assert data["calls"] == []
        assert list(data["waiting"].values()) == [screen.sunat.pk]
        assert data["entities"] == [screen.reniec.pk, screen.sunat.pk]
