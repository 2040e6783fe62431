"""In a real browser: the search filtered in place (htmx) keeps its query
and filters when the citizen switches language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from .conftest import Catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestBrowserLanguageSwitch:
    def test_it_keeps_the_filters_chosen_in_place(
        self, page: Page, live_server: LiveServer, catalog: Catalog
    ) -> None:
        # given a citizen who filtered the results in place
        page.goto(live_server.url + "/buscar/")
        page.locator("summary", has_text="Filtrar resultados").click()
        page.get_by_label("Entidad").select_option("MTC")
        page.get_by_role("button", name="Aplicar filtros").click()
        expect(page.locator("#conteo")).to_have_text("1 trámite encontrado")

        # when they switch to Runasimi
        page.get_by_role("button", name="Runasimi").click()

        # then the same filtered results show, in Quechua
        expect(page.locator("html")).to_have_attribute("lang", "qu")
        expect(page).to_have_url(re.compile(r"/buscar/\?entidad=MTC$"))
        expect(page.locator("#resultados").get_by_role("link")).to_have_text(
            ["Licencia de conducir"]
        )
