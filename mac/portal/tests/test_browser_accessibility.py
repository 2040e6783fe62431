"""axe-core finds no WCAG 2.1 A/AA violation on the portal's pages, and the
pages fit a 360 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from mac.core.tests.browser import PHONE, assert_accessible, fresh_page, horizontal_overflow

from .conftest import Catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/buscar/?q=pasaporte", id="results"),
    pytest.param("/buscar/?q=zzzzzz&entidad=MTC", id="no-results"),
    pytest.param("/servicios/{licence}/", id="service"),
    pytest.param("/servicios/{passport}/", id="service-automatic"),
    pytest.param("/centros/", id="centers"),
    pytest.param("/centros/lima-norte/", id="center"),
    pytest.param("/centros/ayacucho/", id="center-in-implementation"),
    pytest.param("/no-existe/", id="not-found"),
]


def url_for(live_server: LiveServer, catalog: Catalog, path: str) -> str:
    return live_server.url + path.format(
        licence=catalog.licence.slug, passport=catalog.passport.slug
    )


class TestBrowserAccessibility:
    @pytest.mark.parametrize("path", PAGES)
    def test_it_has_no_axe_violations(
        self, page: Page, live_server: LiveServer, catalog: Catalog, path: str
    ) -> None:
        page.goto(url_for(live_server, catalog, path))

        assert_accessible(page)

    def test_it_has_no_axe_violations_in_quechua(
        self, page: Page, live_server: LiveServer, catalog: Catalog
    ) -> None:
        page.goto(live_server.url + "/")
        page.get_by_role("button", name="Runasimi").click()
        page.goto(url_for(live_server, catalog, "/servicios/{licence}/"))

        assert page.locator("html").get_attribute("lang") == "qu"
        assert_accessible(page)

    @pytest.mark.parametrize("path", PAGES)
    def test_it_fits_a_360_px_phone(
        self, browser: Browser, live_server: LiveServer, catalog: Catalog, path: str
    ) -> None:
        with fresh_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as page:
            page.goto(url_for(live_server, catalog, path))

            assert horizontal_overflow(page) == 0

    def test_it_shows_a_visible_focus_ring(
        self, page: Page, live_server: LiveServer, catalog: Catalog
    ) -> None:
        page.goto(live_server.url + "/")

        page.keyboard.press("Tab")

        skip_link = page.get_by_role("link", name="Saltar al contenido principal")
        assert skip_link.evaluate("el => el === document.activeElement")
        box = skip_link.bounding_box()
        assert box is not None and box["y"] >= 0
