"""In a real browser: a screen whose own automatic htmx request is refused
(every second, PermissionDenied) goes once to the 403 page at /sin-acceso/
and stays there; it does not reload the screen again and again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from mac.core.tests.forbidden_screen_urls import REASON, SCREEN

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("mac.core.tests.forbidden_screen_urls"),
]


class TestRefusedAutomaticRequestInTheBrowser:
    def test_it_navigates_once_and_stays_on_the_403_page(
        self, page: Page, live_server: LiveServer
    ) -> None:
        # given: every navigation of the tab, and every request the screen's part makes
        visited: list[str] = []
        parts: list[str] = []

        def navigated(frame: Frame) -> None:
            if frame == page.main_frame:
                visited.append(frame.url)

        def requested(request: Request) -> None:
            if "/parte/" in request.url:
                parts.append(request.url)

        page.on("framenavigated", navigated)
        page.on("request", requested)

        # when: the screen loads, and its part asks at once (hx-trigger "load")
        page.goto(live_server.url + SCREEN)

        # then: one navigation, to the 403 page with the reason and the way back
        page.wait_for_url("**/sin-acceso/?r=*", timeout=5_000)
        expect(page.get_by_role("heading", level=1)).to_have_text("Sin acceso a esta página")
        expect(page.get_by_text(REASON)).to_be_visible()
        expect(page.get_by_role("link", name="Volver a la pantalla")).to_have_attribute(
            "href", SCREEN
        )
        # three of the part's periods later, still there, nothing asked again
        page.wait_for_timeout(3_000)
        assert [url.split("?")[0] for url in visited] == [
            live_server.url + SCREEN,
            live_server.url + "/sin-acceso/",
        ]
        assert len(parts) == 1
