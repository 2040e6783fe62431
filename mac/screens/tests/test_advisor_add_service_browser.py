"""'Añadir trámite' on the advisor desk in a real browser, by keyboard: the
key A goes to the list of the center's procedures, the panel gives the new
ticket's code and focus stays on the citizen being served; a refusal takes
the focus. No accessibility violations either way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mac.core.tests.browser import assert_accessible
from mac.queueing.models import Ticket

from .test_advisor_focus_browser import press
from .test_live_state_stream import Screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestAdvisorAddServiceBrowser:
    def test_it_adds_a_procedure_to_the_visit_by_keyboard(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        # given: bob serving a citizen who also needs SUNAT's RUC
        first = screen.issue(priority_reason="pregnant")
        screen.sign_in_bob()
        log_in(page, base, screen.bob)
        page.goto(f"{base}/centros/lima-norte/modulo/")
        status = page.locator(".advisor-messages")
        press(page, "l")
        expect(page.locator("#ticket-actual")).to_have_text("R-001")
        press(page, "i")
        expect(status).to_contain_text("Atención del ticket R-001 iniciada.")

        # when: A, the procedure, Tab, Enter
        press(page, "a")
        expect(page.locator("#anadir-servicio")).to_be_focused()
        page.locator("#anadir-servicio").select_option(label="Inscripción en el RUC")
        page.keyboard.press("Tab")
        expect(page.locator("#anadir")).to_be_focused()
        press(page, "Enter")

        # then: the new code to tell the citizen; focus back on the citizen served
        expect(status).to_have_text(
            "Trámite añadido: ticket S-001 para «Inscripción en el RUC», en espera. Dé el código"
            " al ciudadano; esta atención sigue."
        )
        expect(page.locator("#ticket-actual")).to_be_focused()
        expect(page.locator("#ticket-actual")).to_have_text("R-001")
        assert_accessible(page)
        added = Ticket.objects.get(code="S-001")
        assert (added.visit_id, added.state, added.priority) == (first.visit_id, "waiting", True)

        # and the same procedure twice is refused, the refusal focused
        press(page, "a")
        page.locator("#anadir-servicio").select_option(label="Inscripción en el RUC")
        page.keyboard.press("Tab")
        press(page, "Enter")
        error = page.locator("#error")
        expect(error).to_have_text("La visita ya tiene un ticket abierto para ese servicio.")
        expect(error).to_be_focused()
        assert_accessible(page)
        assert Ticket.objects.filter(visit_id=first.visit_id).count() == 2
