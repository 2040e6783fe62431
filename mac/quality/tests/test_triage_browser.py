"""In a real browser: pressing "Continuar" on the first step of the
complaints book without choosing an option says what is missing (the page
used to come back unchanged: no option chosen sends no motivo)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from mac.core.tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestTriageBrowser:
    def test_it_says_to_choose_an_option(self, page: Page, live_server: LiveServer) -> None:
        page.goto(live_server.url + "/reclamaciones/")

        page.get_by_role("button", name="Continuar").focus()
        page.keyboard.press("Enter")

        expect(page.get_by_role("alert")).to_have_text("Elige una opción para continuar.")
        expect(page.get_by_role("group", name="¿Qué quieres hacer?")).to_contain_text(
            "Error: Elige una opción para continuar."
        )
        assert_accessible(page)
        page.get_by_role("link", name="Elige una opción para continuar.").click()
        expect(page.locator("#id_motivo_0")).to_be_focused()
