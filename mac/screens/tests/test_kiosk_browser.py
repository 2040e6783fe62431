"""The kiosk in a real browser: keyboard alone from entity to printed ticket,
touch, no WCAG 2.1 AA violations, recovery after inactivity. Screenshots of
each step go to docs/screens/."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
import time_machine
from django.core import signing
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from mac.core.testing import CITIZEN_DNI
from mac.core.tests.browser import assert_accessible, fresh_page, screenshot
from mac.queueing.models import Counter, Ticket
from mac.queueing.testing import OPEN
from mac.screens import printing
from mac.screens.kiosk import DEVICE_COOKIE, DEVICE_SALT
from mac.screens.models import KioskDevice
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, build_world

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KIOSK_VIEWPORT = {"width": 1080, "height": 1350}


@pytest.fixture
def kiosk_world(transactional_db: None, settings: object) -> Iterator[World]:
    settings.TICKET_PRINTER = "dummy"  # type: ignore[attr-defined]
    with time_machine.travel(OPEN, tick=True):
        world = build_world()
        # The DNI counter speaks Quechua too (nobody there speaks Aymara).
        Counter.objects.filter(center=world.center).update(languages=["es", "qu"])
        yield world


def as_kiosk(page: Page, live_server: LiveServer, world: World) -> None:
    device = KioskDevice.objects.create(center=world.center, name="Kiosko 1", created_at=OPEN)
    page.context.add_cookies(
        [
            {
                "name": DEVICE_COOKIE,
                "value": signing.dumps(device.pk, salt=DEVICE_SALT),
                "domain": urlparse(live_server.url).hostname or "localhost",
                "path": "/",
            }
        ]
    )


class TestKioskInTheBrowser:
    def test_it_issues_a_ticket_by_keyboard_alone(
        self, browser: Browser, live_server: LiveServer, kiosk_world: World
    ) -> None:
        with fresh_page(browser, viewport=KIOSK_VIEWPORT) as page:
            as_kiosk(page, live_server, kiosk_world)
            page.goto(live_server.url + "/centros/lima-norte/kiosko/")

            # step 1: the heading has focus, the first tab reaches the first entity
            expect(page.get_by_role("heading", level=1)).to_be_focused()
            page.keyboard.press("Tab")
            expect(page.get_by_role("button", name="RENIEC")).to_be_focused()
            screenshot(page, "kiosk-1-entity.png")
            page.keyboard.press("Enter")

            # step 2: the services of RENIEC at this center
            expect(page.get_by_role("heading", level=1)).to_contain_text("RENIEC")
            # each step starts at its heading (kiosk.js, once the page has loaded)
            expect(page.get_by_role("heading", level=1)).to_be_focused()
            page.keyboard.press("Tab")
            expect(page.get_by_role("button", name="Duplicado del DNI")).to_be_focused()
            screenshot(page, "kiosk-2-service.png")
            page.keyboard.press("Space")

            # step 3: document, priority and language with keys only
            expect(page.get_by_role("heading", level=1)).to_have_text("Duplicado del DNI")
            expect(page.get_by_role("heading", level=1)).to_be_focused()
            page.keyboard.press("Tab")
            expect(page.get_by_label("Tipo de documento")).to_be_focused()
            page.keyboard.press("ArrowDown")  # Sin documento -> DNI
            page.keyboard.press("Tab")
            expect(page.get_by_label("Número de documento")).to_be_focused()
            page.keyboard.type(CITIZEN_DNI)
            page.keyboard.press("Tab")
            expect(page.get_by_label("Sin atención preferente")).to_be_focused()
            for _ in range(3):  # embarazada, niño en brazos, adulto mayor
                page.keyboard.press("ArrowDown")
            expect(page.get_by_label("Persona adulta mayor (60 años o más)")).to_be_checked()
            page.keyboard.press("Tab")
            expect(page.get_by_label("Castellano")).to_be_focused()
            page.keyboard.press("ArrowDown")
            expect(page.get_by_label("Quechua")).to_be_checked()
            page.keyboard.press("Tab")
            expect(page.get_by_role("button", name="Sacar mi ticket")).to_be_focused()
            screenshot(page, "kiosk-3-details.png")
            page.keyboard.press("Enter")

            # step 4: the ticket, on screen and on paper
            expect(page.locator(".ticket__code")).to_have_text("R-001")
            expect(page.get_by_text("Retira tu ticket impreso.")).to_be_visible()
            expect(page.get_by_role("img", name="Código QR para seguir tu turno")).to_be_visible()
            screenshot(page, "kiosk-4-ticket.png")

        ticket = Ticket.objects.get()
        assert (ticket.priority, ticket.language, ticket.source) == (True, "qu", "kiosk")
        assert ticket.visit.document_number == CITIZEN_DNI
        assert len(printing.dummy_outputs) == 1
        assert b"R-001" in printing.dummy_outputs[0]
        assert ticket.visit.token.encode() in printing.dummy_outputs[0]

    def test_it_has_no_accessibility_violations(
        self, page: Page, live_server: LiveServer, kiosk_world: World
    ) -> None:
        as_kiosk(page, live_server, kiosk_world)
        page.goto(live_server.url + "/centros/lima-norte/kiosko/")
        assert_accessible(page)
        page.get_by_role("button", name="SUNAT").click()
        assert_accessible(page)
        page.get_by_role("button", name="Inscripción en el RUC").click()
        assert_accessible(page)
        # with an error shown
        page.get_by_label("Número de documento").fill("123")
        page.get_by_role("button", name="Sacar mi ticket").click()
        expect(page.get_by_text("El DNI tiene 8 dígitos.")).to_be_visible()
        assert_accessible(page)
        screenshot(page, "kiosk-3-error.png")
        page.get_by_label("Número de documento").fill("")
        page.get_by_role("button", name="Sacar mi ticket").click()
        expect(page.locator(".ticket__code")).to_have_text("S-001")
        assert_accessible(page)

    def test_it_works_by_touch_in_quechua(
        self, browser: Browser, live_server: LiveServer, kiosk_world: World
    ) -> None:
        with fresh_page(browser, viewport=KIOSK_VIEWPORT, has_touch=True) as page:
            as_kiosk(page, live_server, kiosk_world)
            page.goto(live_server.url + "/centros/lima-norte/kiosko/")
            page.get_by_role("button", name="Runasimi").tap()
            expect(page.locator("html")).to_have_attribute("lang", "qu")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Allin hamusqayki. ¿Mayqin entidadmanmi hamunki?"
            )
            assert_accessible(page)
            screenshot(page, "kiosk-1-entity-quechua.png")
            tile = page.get_by_role("button", name="RENIEC")
            box = tile.bounding_box()
            assert box is not None and box["height"] >= 64
            tile.tap()
            page.get_by_role("button", name="Duplicado del DNI").tap()
            page.get_by_label("Runasimi").tap()
            page.get_by_role("button", name="Ticketniyta hurquy").tap()
            expect(page.locator(".ticket__code")).to_have_text("R-001")
            expect(page.get_by_text("Imprimisqa ticketniykita hurquy.")).to_be_visible()
            screenshot(page, "kiosk-4-ticket-quechua.png")
        assert b"Turnoyki" in printing.dummy_outputs[-1]

    def test_it_goes_back_to_the_start_in_spanish_when_idle(
        self, browser: Browser, live_server: LiveServer, kiosk_world: World, settings: object
    ) -> None:
        settings.KIOSK_IDLE_SECONDS = 3  # type: ignore[attr-defined]
        with fresh_page(browser, viewport=KIOSK_VIEWPORT) as page:
            as_kiosk(page, live_server, kiosk_world)
            page.goto(live_server.url + "/centros/lima-norte/kiosko/")
            page.get_by_role("button", name="Runasimi").click()
            page.get_by_role("button", name="RENIEC").click()
            expect(page.locator("#kiosk-idle")).to_be_visible(timeout=5_000)
            expect(page).to_have_url(live_server.url + "/centros/lima-norte/kiosko/", timeout=5_000)
            expect(page.locator("html")).to_have_attribute("lang", "es")
