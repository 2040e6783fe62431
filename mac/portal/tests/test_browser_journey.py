"""A citizen's journey in a real browser: search in their own words, read the
service, find a center that offers it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from mac.core.tests.browser import fresh_page

from .conftest import Catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestBrowserJourney:
    def test_it_takes_a_citizen_from_brevete_to_the_center(
        self, page: Page, live_server: LiveServer, catalog: Catalog
    ) -> None:
        # given a citizen on the home page
        page.goto(live_server.url + "/")

        # when they search in their own words
        page.get_by_label("¿Qué trámite necesitas hacer?").fill("brevete")
        page.get_by_role("button", name="Buscar", exact=True).click()

        # then the licence is among the results
        expect(page).to_have_url(re.compile(r"/buscar/\?q=brevete$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Resultados para «brevete»")
        page.get_by_role("link", name="Licencia de conducir").click()

        # and its page shows the requirements, in order, and where to go
        expect(page.get_by_role("heading", level=1)).to_have_text("Licencia de conducir")
        requirements = page.locator("ol.requirements > li")
        expect(requirements).to_have_count(3)
        expect(requirements.nth(0)).to_contain_text("Solicitud firmada.")
        expect(requirements.nth(1)).to_contain_text("Certificado de salud")
        expect(requirements.nth(2)).to_contain_text("Aprobar el examen de manejo.")
        page.get_by_role("link", name="Centro MAC Lima Norte").click()

        # and the center page tells them where it is and what it offers
        expect(page).to_have_url(live_server.url + "/centros/lima-norte/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Centro MAC Lima Norte")
        expect(page.get_by_text("Av. Los Ángeles 602, Mallplaza Comas")).to_be_visible()
        expect(page.get_by_role("link", name="Licencia de conducir")).to_be_visible()

    def test_it_works_without_javascript(
        self, browser: Browser, live_server: LiveServer, catalog: Catalog
    ) -> None:
        with fresh_page(browser, java_script_enabled=False) as page:
            page.goto(live_server.url + "/buscar/")
            page.locator("summary", has_text="Filtrar resultados").click()
            page.get_by_label("Entidad").select_option("MIGRACIONES")
            page.get_by_role("button", name="Aplicar filtros").click()

            expect(page).to_have_url(re.compile(r"entidad=MIGRACIONES"))
            expect(page.get_by_role("link", name="Pasaporte electrónico")).to_be_visible()
            expect(page.get_by_role("link", name="Licencia de conducir")).to_have_count(0)

    def test_it_filters_in_place_with_htmx(
        self, page: Page, live_server: LiveServer, catalog: Catalog
    ) -> None:
        page.goto(live_server.url + "/buscar/")
        expect(page.locator("#conteo")).to_have_text("2 trámites encontrados")

        page.locator("summary", has_text="Filtrar resultados").click()
        page.get_by_label("Entidad").select_option("MTC")
        page.get_by_role("button", name="Aplicar filtros").click()

        expect(page.locator("#conteo")).to_have_text("1 trámite encontrado")
        expect(page).to_have_url(re.compile(r"entidad=MTC"))
        expect(page.locator("#resultados").get_by_role("link")).to_have_text(
            ["Licencia de conducir"]
        )

    def test_it_switches_to_quechua_and_back(
        self, page: Page, live_server: LiveServer, catalog: Catalog
    ) -> None:
        page.goto(live_server.url + "/")

        page.get_by_role("button", name="Runasimi").click()

        expect(page.locator("html")).to_have_attribute("lang", "qu")
        expect(page.get_by_label("¿Ima trámitetataq ruwanayki?")).to_be_visible()
        page.get_by_role("button", name="Español").click()
        expect(page.get_by_label("¿Qué trámite necesitas hacer?")).to_be_visible()
