"""The citizen's status page in a real browser: updated by live events (not
reloads) to the same state a fresh load shows; WCAG 2.1 AA clean."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from mac.core.tests.browser import PHONE, assert_accessible, screenshot
from mac.queueing import actions

from .test_live_state_stream import Screen, wait_for_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
STATUS_DOM = """() => [...document.querySelectorAll('#estado [data-ticket]')].map((s) => ({
  ticket: s.dataset.ticket, state: s.dataset.state,
  code: s.querySelector('h2').textContent.trim(),
  position: (s.querySelector('[data-role=position]') || {}).textContent || null,
  call: (s.querySelector('[data-role=call]') || {}).textContent || null,
}))"""


def open_status(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => window.macStatus && window.macStatus.connected")


class TestStatusBrowser:
    def test_events_bring_it_to_the_state_of_a_fresh_load(
        self, page: Page, base: str, screen: Screen, browser: Any
    ) -> None:
        # given a citizen third in line
        counter = screen.sign_in_bob()
        ahead = [screen.issue(), screen.issue()]
        mine = screen.issue()
        url = f"{base}/turno/{mine.visit.token}/"
        open_status(page, url)
        expect(page.locator("[data-role=position]")).to_have_text("3")
        page.evaluate("() => { window.notReloaded = true; }")

        # when the two ahead are served and the citizen's ticket is called
        for ticket in ahead:
            actions.call_next(counter, by=screen.bob)
            actions.no_show(ticket, by=screen.bob)
        actions.call_next(counter, by=screen.bob)
        wait_for_event(page, "macStatus", screen.center)

        # then the page says so without a reload, as a fresh load does
        expect(page.locator("[data-role=call]")).to_have_text("Es tu turno: acércate al Módulo 1")
        assert page.evaluate("() => window.notReloaded") is True
        fresh = browser.new_page()
        try:
            open_status(fresh, url)
            assert page.evaluate(STATUS_DOM) == fresh.evaluate(STATUS_DOM)
        finally:
            fresh.close()

    def test_it_says_the_call_in_a_live_region_of_its_own(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        # given a citizen first in line, the page loaded
        counter = screen.sign_in_bob()
        mine = screen.issue()
        open_status(page, f"{base}/turno/{mine.visit.token}/")
        region = page.locator("#aviso-turno")
        page.evaluate("() => { window.region = document.getElementById('aviso-turno'); }")
        assert page.locator("#estado").get_attribute("aria-live") is None
        assert region.get_attribute("aria-live") == "assertive"
        expect(region).to_have_text("")

        # when the ticket is called
        actions.call_next(counter, by=screen.bob)

        # then the same region, outside the replaced state, says it once
        expect(region).to_have_text("Es tu turno: acércate al Módulo 1")
        assert page.evaluate(
            "() => window.region === document.getElementById('aviso-turno')"
            " && !document.getElementById('estado').contains(window.region)"
        )
        assert_accessible(page)

        # when a refresh changes nothing of the call (someone else gets a ticket)
        refreshes = page.evaluate("() => window.macStatus.refreshes")
        screen.issue()
        page.wait_for_function(f"() => window.macStatus.refreshes > {refreshes}")

        # then it is not said again; called again, it is; served, it is emptied
        assert page.evaluate("() => window.macStatus.announced.length") == 1
        actions.recall(mine, by=screen.bob)
        page.wait_for_function("() => window.macStatus.announced.length === 2")
        expect(region).to_have_text("Es tu turno: acércate al Módulo 1")
        actions.start(mine, by=screen.bob)
        expect(page.locator("[data-role=serving]")).to_be_visible()
        expect(region).to_have_text("")
        assert page.evaluate("() => window.macStatus.announced.length") == 2

    def test_it_is_accessible_and_looks_right(
        self, browser: Any, base: str, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        screen.issue()
        mine = screen.issue()
        page = browser.new_page(viewport=PHONE, locale="es-PE")
        try:
            open_status(page, f"{base}/turno/{mine.visit.token}/")
            assert_accessible(page)
            screenshot(page, "status.png")
            page.goto(f"{base}/turno/no-existe/")
            assert_accessible(page)
        finally:
            page.close()
