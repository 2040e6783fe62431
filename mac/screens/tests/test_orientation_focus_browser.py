"""The orientation desk by keyboard: after each htmx swap focus goes to the
refusal to read, or on to the next citizen, never back to the page's body
(the submit button that had it is disabled or replaced by the swap)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mac.queueing.models import Ticket
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World
from mac.screens.tests.test_orientation_browser import sign_in

_fresh_caches = setup._fresh_caches

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit_with_enter(page: Page, button: str) -> None:
    page.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")


class TestOrientationFocusBrowser:
    def test_focus_goes_to_the_refusal_or_on_to_the_next_citizen(
        self, page: Page, asgi_url: str, desk_world: World
    ) -> None:
        sign_in(page, asgi_url, desk_world)
        page.goto(asgi_url + "/centros/lima-norte/orientacion/")

        # a visit without a service: the refusal has the focus
        submit_with_enter(page, "Emitir tickets")
        refusal = page.locator("#emitidos [role=alert]")
        expect(refusal).to_have_text("Elija al menos un servicio que se ofrezca en este centro.")
        expect(refusal).to_be_focused()

        # a visit issued: on to the next citizen's search
        page.get_by_label("Lo que el ciudadano necesita, en sus palabras").fill("dni")
        page.get_by_role("button", name="Buscar").click()
        page.get_by_role("button", name="Añadir Duplicado del DNI").click()
        expect(page.locator("#elegidos li")).to_have_count(1)  # htmx has swapped the choice in
        submit_with_enter(page, "Emitir tickets")
        expect(page.locator("#emitidos")).to_contain_text("Se emitió 1 ticket para esta visita.")
        expect(page.get_by_label("Lo que el ciudadano necesita, en sus palabras")).to_be_focused()

        # a check-in refused: its refusal has the focus
        page.locator("#checkin-code").fill("ABCD2345")
        page.locator("#checkin-number").fill("10117410")
        submit_with_enter(page, "Registrar llegada")
        refusal = page.locator("#llegada [role=alert]")
        expect(refusal).to_contain_text("No encontramos una cita")
        expect(refusal).to_be_focused()

        # a reprint without a code: it says so, and the refusal has the focus
        submit_with_enter(page, "Reimprimir")
        refusal = page.locator("#reimpresion [role=alert]")
        expect(refusal).to_have_text("Escriba el código del ticket.")
        expect(refusal).to_be_focused()

        # a reprint done: back in the code field for the next one
        page.get_by_label("Código del ticket", exact=True).fill("r-001")
        submit_with_enter(page, "Reimprimir")
        expect(page.locator("#reimpresion [role=status]")).to_have_text("Ticket R-001 reimpreso.")
        expect(page.get_by_label("Código del ticket", exact=True)).to_be_focused()
        assert Ticket.objects.count() == 1
