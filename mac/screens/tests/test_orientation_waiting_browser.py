"""The orientation desk's "Anular o cambiar de trámite" panel by keyboard, in
a real browser: a ticket opened from "Emitidos hoy" or found by its code,
moved to another service, cancelled after a confirmation (Escape goes back),
and a refusal when a counter called the ticket meanwhile; focus follows each
swap; "Emitidos hoy" follows the live events; WCAG 2.1 AA clean. Served by
uvicorn (`asgi_url`, conftest.py): a WSGI test server would buffer the event stream."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mac.core.tests.browser import assert_accessible
from mac.queueing import actions
from mac.queueing.models import Counter, Ticket
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World
from mac.screens.tests.test_live_state_stream import wait_for_event
from mac.screens.tests.test_orientation_browser import sign_in

_fresh_caches = setup._fresh_caches

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page: Page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).focus()
    page.keyboard.press("Enter")


class TestOrientationWaitingBrowser:
    def test_it_moves_and_cancels_waiting_tickets_by_keyboard(
        self, page: Page, asgi_url: str, desk_world: World
    ) -> None:
        world = desk_world
        # given: R-001 issued at the desk, R-002 and R-003 at the kiosk
        first = actions.issue_ticket(world.center, world.dni, source="desk", by=world.olga)
        second = actions.issue_ticket(world.center, world.dni)
        third = actions.issue_ticket(world.center, world.dni)
        sign_in(page, asgi_url, world)
        page.goto(asgi_url + "/centros/lima-norte/orientacion/")

        # R-001 from "Emitidos hoy": its card has the focus
        press(page, "Anular o cambiar de trámite el ticket R-001")
        expect(page.locator("#waiting-ticket")).to_have_text("R-001")
        expect(page.locator("#waiting-ticket")).to_be_focused()
        assert_accessible(page)

        # moved to the RUC: it says so, the code field is next
        page.keyboard.press("Tab")
        expect(page.get_by_label("Cambiar a otro trámite")).to_be_focused()
        page.get_by_label("Cambiar a otro trámite").select_option(str(world.ruc.pk))
        press(page, "Cambiar de trámite")
        expect(page.locator("#en-espera [role=status]")).to_have_text(
            "El ticket R-001 ahora espera para «Inscripción en el RUC» (SUNAT). Conserva su"
            " código y su lugar en la fila: el ciudadano no necesita otro ticket."
        )
        expect(page.get_by_label("Código del ticket en espera")).to_be_focused()
        expect(page.locator("#recientes li").first).to_contain_text("SUNAT · Inscripción en el RUC")

        # R-002 by its code; "Anular ticket…" asks first, Escape goes back
        page.keyboard.type("r-002")
        page.keyboard.press("Enter")
        expect(page.locator("#waiting-ticket")).to_be_focused()
        page.get_by_label("Motivo de la anulación").select_option("mistake")
        press(page, "Anular ticket…")
        question = page.locator("#confirm-question")
        expect(question).to_contain_text("¿Anular el ticket R-002? Motivo: Emitido por error.")
        expect(question).to_be_focused()
        assert_accessible(page)
        page.keyboard.press("Escape")
        expect(page.locator("#waiting-ticket")).to_be_focused()
        expect(page.locator("#confirm-question")).to_have_count(0)
        assert Ticket.objects.get(pk=second.pk).state == "waiting"

        # then confirmed: cancelled
        page.get_by_label("Motivo de la anulación").select_option("mistake")
        press(page, "Anular ticket…")
        expect(question).to_be_focused()
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Sí, anular R-002")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#en-espera [role=status]")).to_have_text(
            "Se anuló el ticket R-002. Motivo: Emitido por error."
        )
        expect(page.get_by_label("Código del ticket en espera")).to_be_focused()

        # R-003 opened, then a counter calls it before the desk confirms
        page.keyboard.type("R-003")
        page.keyboard.press("Enter")
        expect(page.locator("#waiting-ticket")).to_be_focused()
        page.get_by_label("Motivo de la anulación").select_option("left")
        called = actions.call_next(Counter.objects.get(center=world.center, number=1), by=world.bob)
        assert called is not None and called.pk == third.pk
        press(page, "Anular ticket…")
        refusal = page.locator("#en-espera [role=alert]")
        expect(refusal).to_have_text(
            "No se puede anular: el ticket R-003 ya no está en espera, lo llamó el Módulo 1."
        )
        expect(refusal).to_be_focused()
        assert_accessible(page)

        # another desk cancels R-001: the list shows it without a reload
        actions.cancel(first, by=world.olga, reason="duplicate")
        wait_for_event(page, "macDesk", world.center)
        expect(page.locator("#recientes li").first).to_contain_text(
            "R-001 · SUNAT · Inscripción en el RUC · 10:00 · anulado"
        )
        expect(page.locator("#recientes button")).to_have_count(0)

        states = dict(Ticket.objects.values_list("pk", "state"))
        assert states == {first.pk: "cancelled", second.pk: "cancelled", third.pk: "called"}
        assert Ticket.objects.get(pk=first.pk).service_id == world.ruc.pk
