"""The whole journey in real browsers: a ticket is issued, the advisor desk
calls it, the board shows it and queues its announcement, the citizen's
status page says it's their turn, the advisor finishes; board and status page
follow by live events, never by reloading."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from mac.core.tests.browser import PHONE, fresh_page
from mac.queueing.models import Attention

from .test_live_state_stream import Screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestJourneyBrowser:
    def test_a_ticket_goes_from_issue_to_done_across_the_screens(
        self, browser: Any, base: str, screen: Screen
    ) -> None:
        # given a citizen's ticket (as the kiosk issues it) and the three screens open
        ticket = screen.issue(document_type="dni", document_number="10117410")
        with (
            fresh_page(browser, viewport={"width": 1920, "height": 1080}) as board,
            fresh_page(browser, viewport=PHONE) as phone,
            fresh_page(browser) as desk,
        ):
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
                "Es su turno: acérquese al Módulo 1"
            )

            # when the advisor serves and finishes
            desk.keyboard.press("i")
            expect(phone.locator("[data-role=serving]")).to_have_text(
                "Le están atendiendo en el Módulo 1."
            )
            desk.keyboard.press("1")
            expect(desk.locator(".advisor-messages")).to_contain_text("finalizado: Resuelto")

            # then the citizen's page closes the visit, all by events
            expect(phone.locator("[data-role=done]")).to_be_visible()
            for page in (board, phone):
                assert page.evaluate("() => window.notReloaded") is True
            assert board.evaluate("() => window.macBoard.dropped") == 0
        assert Attention.objects.get(ticket=ticket).outcome == "resolved"
