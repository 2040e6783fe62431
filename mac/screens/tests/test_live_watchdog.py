"""A screen's stream that goes silent is opened again: the server sends a
"ping" event when nothing happens (a comment would be invisible to the
page's script), and live.js reconnects after STALL_MS without any event,
as after a network cut without a reset. Before, the board froze."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, Route

from mac.screens import live

from .servers import asgi_server
from .test_live_state_stream import Screen, events_of


@pytest.mark.django_db(transaction=True)
class TestHeartbeat:
    def test_a_quiet_stream_sends_a_ping_event_without_an_id(
        self, screen: Screen, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.2)
        screen.issue()

        with asgi_server() as base:
            # nothing after the ticket: the stream only keeps itself alive
            events = events_of(f"{base}/centros/lima-norte/eventos/?desde=999999", 2)

        assert events == [{"event": "ping", "data": {}}, {"event": "ping", "data": {}}]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
class TestWatchdog:
    def test_the_board_opens_a_stalled_stream_again(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        # given a network that swallows the board's first stream request:
        # no answer, no reset (the request just hangs)
        requests: list[str] = []
        hung: list[Route] = []

        def network(route: Route) -> None:
            requests.append(route.request.url)
            if len(requests) == 1:
                hung.append(route)  # never answered
            else:
                route.continue_()

        page.route("**/centros/lima-norte/eventos/**", network)
        page.add_init_script("window.MAC_LIVE_STALL_MS = 1500;")

        # when the board is shown
        page.goto(f"{base}/centros/lima-norte/pantalla/")

        # then it gives up on the silent request and connects again
        page.wait_for_function("() => window.macBoard && window.macBoard.connected", timeout=10000)
        assert len(requests) == 2
        ticket = screen.issue()
        page.wait_for_function(
            f"() => Object.keys(window.macBoard.state.waiting).includes('{ticket.pk}')"
        )
        state: Any = page.evaluate("() => document.getElementById('conexion').dataset.state")
        assert state == "live"
