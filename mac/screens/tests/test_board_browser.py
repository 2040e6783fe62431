"""The display board in a real browser: events applied to an old state give
the same board as a fresh load; two calls in the same second are both shown
and announced, one after the other; an old call replayed after a cut is
shown but not said to screen readers; WCAG 2.1 AA clean."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mac.core.models import Event
from mac.core.tests.browser import assert_accessible, screenshot
from mac.queueing import actions
from mac.screens.queries import last_event_id

from .test_live_state_stream import Screen, wait_for_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TV: Any = {"width": 1920, "height": 1080}
BOARD_DOM = """() => ({
  calls: [...document.querySelectorAll('#llamados tr')].map(
    (tr) => [tr.dataset.ticket, tr.cells[0].textContent.trim(), tr.cells[1].textContent.trim()]),
  waiting: [...document.querySelectorAll('#espera [data-entity]')].map(
    (li) => [li.dataset.entity, li.querySelector('.board-waiting__name').textContent.trim(),
             li.querySelector('.board-waiting__count').textContent.trim()]),
  state: {calls: window.macBoard.state.calls,
          waiting: Object.entries(window.macBoard.state.waiting).sort()},
})"""

# Records the text of a live region each time something in it changes (what
# a screen reader would say), in window.liveChanges.
RECORD_LIVE_REGIONS = """() => {
  window.liveChanges = [];
  new MutationObserver((mutations) => mutations.forEach((m) => {
    const node = m.target.nodeType === Node.ELEMENT_NODE ? m.target : m.target.parentElement;
    const region = node && node.closest('[aria-live]:not([aria-live="off"])');
    if (region) window.liveChanges.push(region.textContent.replace(/\\s+/g, ' ').trim());
  })).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def board_dom(page: Page) -> dict[str, Any]:
    dom: dict[str, Any] = page.evaluate(BOARD_DOM)
    return dom


def open_board(page: Page, base: str) -> None:
    page.set_viewport_size(TV)
    page.goto(f"{base}/centros/lima-norte/pantalla/")
    page.wait_for_function("() => window.macBoard && window.macBoard.connected")


class TestBoardBrowser:
    def test_events_applied_to_an_old_board_equal_a_fresh_one(
        self, page: Page, base: str, screen: Screen, browser: Any
    ) -> None:
        # given a board at state S0: one call made, two people waiting
        counter = screen.sign_in_bob()
        first = screen.issue()
        screen.issue(screen.acta)
        actions.call_next(counter, by=screen.bob)
        open_board(page, base)
        before = board_dom(page)

        # when the advisors work: issue, call, recall, finish, cancel, transfer;
        # and the desk moves a waiting ticket to another entity's service
        actions.recall(first, by=screen.bob)
        actions.start(first, by=screen.bob)
        actions.finish(first, by=screen.bob)
        second = actions.call_next(counter, by=screen.bob)
        assert second is not None
        ruc = screen.issue(screen.ruc)
        actions.call_next(screen.sunat_counter, by=screen.sunat_advisor)
        actions.transfer(second, screen.ruc, by=screen.bob)
        late = screen.issue()
        actions.cancel(late)
        screen.issue()
        actions.recall(ruc, by=screen.sunat_advisor)
        misrouted = screen.issue()
        actions.change_service(misrouted, screen.ruc, by=screen.olga)
        wait_for_event(page, "macBoard", screen.center)

        # then the board changed, and equals a board loaded afresh
        after = board_dom(page)
        assert after != before
        fresh = browser.new_page(viewport=TV)
        try:
            open_board(fresh, base)
            assert after == board_dom(fresh)
        finally:
            fresh.close()
        assert [c[1:] for c in after["calls"]] == [
            ["S-001", "Módulo 3"],
            ["A-001", "Módulo 1"],
            ["R-001", "Módulo 1"],
        ]
        assert [w[1:] for w in after["waiting"]] == [["RENIEC", "1"], ["SUNAT", "2"]]

    def test_two_calls_in_the_same_second_are_both_announced(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        counter = screen.sign_in_bob()
        screen.issue()
        screen.issue(screen.ruc)
        open_board(page, base)

        actions.call_next(counter, by=screen.bob)
        actions.call_next(screen.sunat_counter, by=screen.sunat_advisor)
        wait_for_event(page, "macBoard", screen.center)

        # both are announced (the first may already be done: headless voices fail fast)
        announced = page.evaluate(
            "() => [window.macBoard.current, ...window.macBoard.queue,"
            " ...window.macBoard.spoken].filter(Boolean)"
            ".map((a) => a.code)"
        )
        assert sorted(announced) == ["R-001", "S-001"]
        page.wait_for_function(
            "() => window.macBoard.spoken.map((a) => a.code).join() === 'R-001,S-001'",
            timeout=40_000,
        )
        expect(page.locator("#llamada-actual .board-now__code")).to_have_text("S-001")
        expect(page.locator("#llamada-actual .board-now__counter")).to_have_text("Módulo 3")

    def test_after_a_cut_it_lists_missed_calls_but_announces_only_recent_ones(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        # given a board whose event stream is cut (the network is down)
        counter = screen.sign_in_bob()
        tickets = [screen.issue() for _ in range(3)]
        cut = {"on": True}
        page.route(
            re.compile(r"/eventos/"),
            lambda route: route.abort() if cut["on"] else route.continue_(),
        )
        page.set_viewport_size(TV)
        page.goto(f"{base}/centros/lima-norte/pantalla/")
        page.wait_for_function("() => window.macBoard && !window.macBoard.connected")

        # when two calls were made two minutes ago and one just now
        for ticket in tickets[:2]:
            actions.call_next(counter, by=screen.bob)
            actions.no_show(ticket, by=screen.bob)
        Event.objects.filter(topic=f"queue.center.{screen.center.pk}").update(
            at=timezone.now() - dt.timedelta(minutes=2)
        )
        actions.call_next(counter, by=screen.bob)
        cut["on"] = False
        newest = last_event_id(screen.center)
        page.wait_for_function(f"() => window.macBoard.lastEventId >= {newest}", timeout=20_000)

        # then all three are listed, and only the recent one is announced
        expect(page.locator("#llamados tr")).to_have_count(3)
        page.wait_for_function("() => !window.macBoard.current && !window.macBoard.queue.length")
        assert page.evaluate("() => window.macBoard.spoken.map((a) => a.code)") == ["R-003"]
        assert page.evaluate("() => window.macBoard.unannounced.map((a) => a.code)") == [
            "R-001",
            "R-002",
        ]
        expect(page.locator("#llamada-actual .board-now__code")).to_have_text("R-003")

    def test_an_old_replayed_call_is_shown_but_not_said_to_screen_readers(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        # given a board whose event stream is cut, its live regions listened to
        counter = screen.sign_in_bob()
        tickets = [screen.issue() for _ in range(3)]
        cut = {"on": True}
        page.route(
            re.compile(r"/eventos/"),
            lambda route: route.abort() if cut["on"] else route.continue_(),
        )
        page.set_viewport_size(TV)
        page.goto(f"{base}/centros/lima-norte/pantalla/")
        page.wait_for_function("() => window.macBoard && !window.macBoard.connected")
        page.evaluate(RECORD_LIVE_REGIONS)

        # when two calls made two minutes ago are replayed
        for ticket in tickets[:2]:
            actions.call_next(counter, by=screen.bob)
            actions.no_show(ticket, by=screen.bob)
        Event.objects.filter(topic=f"queue.center.{screen.center.pk}").update(
            at=timezone.now() - dt.timedelta(minutes=2)
        )
        cut["on"] = False
        newest = last_event_id(screen.center)
        page.wait_for_function(f"() => window.macBoard.lastEventId >= {newest}", timeout=20_000)

        # then the box shows the latest of them, and no live region changed
        expect(page.locator("#llamada-actual .board-now__code")).to_have_text("R-002")
        assert page.evaluate("() => window.macBoard.unannounced.length") == 2
        assert page.evaluate("() => window.liveChanges") == []

        # when a call is made now, it is said
        actions.call_next(counter, by=screen.bob)
        expect(page.locator("#aviso-llamada")).to_have_text("Turno R 3, acércate al Módulo 1.")
        expect(page.locator("#llamada-actual .board-now__code")).to_have_text("R-003")
        assert page.evaluate("() => window.liveChanges") == ["Turno R 3, acércate al Módulo 1."]

    def test_it_is_accessible_and_looks_right(self, page: Page, base: str, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        for service in (screen.dni, screen.acta, screen.dni, screen.ruc, screen.dni):
            screen.issue(service)
        actions.call_next(counter, by=screen.bob)
        actions.call_next(screen.sunat_counter, by=screen.sunat_advisor)
        open_board(page, base)
        page.wait_for_function("() => !window.macBoard.current && !window.macBoard.queue.length")

        assert_accessible(page)
        screenshot(page, "board.png", full_page=False)
