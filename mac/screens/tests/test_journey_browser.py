"""The whole journey in real browsers: the kiosk issues a ticket, the advisor
desk calls it, the board shows it and queues its announcement, the citizen's
status page says it's their turn, the advisor finishes; board and status page
follow by live events, never by reloading."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.utils import timezone
from playwright.sync_api import expect

from mac.core.tests.browser import PHONE, fresh_page
from mac.queueing.models import Attention, Ticket
from mac.screens.kiosk import DEVICE_COOKIE, DEVICE_SALT
from mac.screens.models import KioskDevice

from .test_live_state_stream import Screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestJourneyBrowser:
    def test_a_ticket_goes_from_issue_to_done_across_the_screens(
        self, browser: Any, base: str, screen: Screen
    ) -> None:
        # given a kiosk, a board and an advisor desk open at the center
        device = KioskDevice.objects.create(
            center=screen.center, name="Kiosko 1", created_at=timezone.now()
        )
        with (
            fresh_page(browser, viewport={"width": 1080, "height": 1350}) as kiosk,
            fresh_page(browser, viewport={"width": 1920, "height": 1080}) as board,
            fresh_page(browser, viewport=PHONE) as phone,
            fresh_page(browser) as desk,
        ):
            kiosk.context.add_cookies(
                [
                    {
                        "name": DEVICE_COOKIE,
                        "value": signing.dumps(device.pk, salt=DEVICE_SALT),
                        "url": base,
                    }
                ]
            )
            # when a citizen takes a ticket at the kiosk, by touch
            kiosk.goto(f"{base}/centros/lima-norte/kiosko/")
            kiosk.get_by_role("button", name="RENIEC").click()
            kiosk.get_by_role("button", name="Duplicado de DNI").click()
            kiosk.get_by_label("Tipo de documento").select_option("dni")
            kiosk.get_by_label("Número de documento").fill("10117410")
            kiosk.get_by_role("button", name="Sacar mi ticket").click()
            expect(kiosk.locator(".ticket__code")).to_have_text("R-001")
            ticket = Ticket.objects.get()
            assert (ticket.source, ticket.visit.document_number) == ("kiosk", "10117410")

            board.goto(f"{base}/centros/lima-norte/pantalla/")
            phone.goto(f"{base}/turno/{ticket.visit.token}/")
            for page, handle in ((board, "macBoard"), (phone, "macStatus")):
                page.wait_for_function(f"() => window.{handle}.connected")
                page.evaluate("() => { window.notReloaded = true; }")
            expect(phone.locator("[data-role=position]")).to_have_text("1")
            log_in(desk, base, screen.bob)
            desk.goto(f"{base}/centros/lima-norte/modulo/")
            desk.locator("#ingresar-1").click()
            expect(desk.locator("#llamar")).to_be_enabled()

            # when the advisor calls the next citizen
            desk.keyboard.press("l")
            expect(desk.locator("#ticket-actual")).to_have_text("R-001")

            # then the board lists it and announces it
            expect(board.locator("#llamados tr").first).to_have_text("R-001Módulo 1")
            board.wait_for_function(
                "() => [window.macBoard.current, ...window.macBoard.queue,"
                " ...window.macBoard.spoken].some((a) => a && a.code === 'R-001')"
            )
            expect(board.locator("#llamada-actual .board-now__code")).to_have_text("R-001")
            # and the citizen's page says it's their turn
            expect(phone.locator("[data-role=call]")).to_have_text(
                "Es tu turno: acércate al Módulo 1"
            )

            # when the advisor serves and finishes
            desk.keyboard.press("i")
            expect(phone.locator("[data-role=serving]")).to_have_text(
                "Te están atendiendo en el Módulo 1."
            )
            desk.keyboard.press("1")
            expect(desk.locator(".advisor-messages")).to_contain_text("finalizado: Resuelto")

            # then the citizen's page closes the visit, all by events
            expect(phone.locator("[data-role=done]")).to_be_visible()
            for page in (board, phone):
                assert page.evaluate("() => window.notReloaded") is True
            assert board.evaluate("() => window.macBoard.dropped") == 0
        assert Attention.objects.get(ticket=ticket).outcome == "resolved"
