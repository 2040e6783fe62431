"""A language no counter has, in a real browser: the kiosk's refusal page
(accessible) goes on in Spanish with one tap; the desk's refusal takes the
focus, and staff switch the language in the kept form and issue (on
uvicorn, `asgi_url`: the desk opens the event stream)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from mac.core.testing import CITIZEN_DNI
from mac.core.tests.browser import assert_accessible, fresh_page
from mac.queueing.models import Ticket
from mac.screens.tests import test_kiosk_browser as kiosk
from mac.screens.tests import test_orientation_focus_browser as desk
from mac.screens.tests.test_kiosk_setup import World
from mac.screens.tests.test_orientation_browser import sign_in

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = kiosk._fresh_caches
kiosk_world = kiosk.kiosk_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestLanguageUnavailableInTheBrowser:
    def test_the_kiosk_goes_on_in_spanish_with_one_tap(
        self, browser: Browser, live_server: LiveServer, kiosk_world: World
    ) -> None:
        with fresh_page(browser, viewport=kiosk.KIOSK_VIEWPORT) as page:
            kiosk.as_kiosk(page, live_server, kiosk_world)
            page.goto(
                live_server.url + f"/centros/lima-norte/kiosko/datos/?servicio={kiosk_world.dni.pk}"
            )
            page.get_by_label("Número de documento").fill(CITIZEN_DNI)
            page.get_by_label("Persona adulta mayor (60 años o más)").check()
            page.get_by_label("Aimara").check()
            page.get_by_role("button", name="Sacar mi ticket").click()

            expect(page.get_by_role("alert")).to_have_text(
                "En este Centro MAC ningún módulo atiende «Duplicado del DNI» en aimara. Puedes"
                " continuar en castellano, o pedir ayuda en orientación."
            )
            assert Ticket.objects.count() == 0
            assert_accessible(page)
            # the public page holds no trace of the document (the choices wait on the server)
            assert CITIZEN_DNI not in page.content()
            page.get_by_role("button", name="Continuar en castellano").click()

            expect(page.locator(".ticket__code")).to_have_text("R-001")
        ticket = Ticket.objects.get()
        assert (ticket.language, ticket.priority, ticket.source) == ("es", True, "kiosk")
        assert ticket.visit.document_number == CITIZEN_DNI

    def test_the_desk_switches_to_spanish_in_the_kept_form(
        self, page: Page, asgi_url: str, desk_world: World
    ) -> None:
        sign_in(page, asgi_url, desk_world)
        page.goto(asgi_url + "/centros/lima-norte/orientacion/")
        page.get_by_label("Lo que el ciudadano necesita, en sus palabras").fill("dni")
        page.get_by_role("button", name="Buscar").click()
        page.get_by_role("button", name="Añadir Duplicado del DNI").click()
        expect(page.locator("#elegidos li")).to_have_count(1)
        page.get_by_label("Número de documento").fill("10117410")
        page.get_by_label("Lengua", exact=True).select_option("qu")
        desk.submit_with_enter(page, "Emitir tickets")

        refusal = page.locator("#emitidos [role=alert]")
        expect(refusal).to_have_text(
            "Ningún módulo de Centro MAC Lima Norte atiende «Duplicado del DNI» en quechua: el"
            " ticket esperaría sin que nadie lo llame. Emítalo en castellano o coordine un"
            " intérprete."
        )
        expect(refusal).to_be_focused()
        assert_accessible(page)
        assert Ticket.objects.count() == 0

        # the form kept the service and the document: only the language changes
        expect(page.locator("#elegidos li")).to_have_count(1)
        expect(page.get_by_label("Número de documento")).to_have_value("10117410")
        page.get_by_label("Lengua", exact=True).select_option("es")
        desk.submit_with_enter(page, "Emitir tickets")

        expect(page.locator("#emitidos")).to_contain_text("Se emitió 1 ticket para esta visita.")
        ticket = Ticket.objects.get()
        assert (ticket.code, ticket.language, ticket.visit.document_number) == (
            "R-001",
            "es",
            "10117410",
        )
