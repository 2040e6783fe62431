"""The orientation desk shows the server's refusals: they come with a 4xx
status (422, 404, 409), which htmx swaps only because the page says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mac.queueing.models import Ticket, Visit
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World
from mac.screens.tests.test_orientation_browser import sign_in

_fresh_caches = setup._fresh_caches

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestOrientationErrorsInTheBrowser:
    def test_it_shows_each_refusal_and_changes_nothing(
        self, page: Page, asgi_url: str, desk_world: World
    ) -> None:
        # given
        sign_in(page, asgi_url, desk_world)
        page.goto(asgi_url + "/centros/lima-norte/orientacion/")
        statuses: list[int] = []
        page.on(
            "response", lambda r: statuses.append(r.status) if "/orientacion/" in r.url else None
        )

        # when: tickets with no service chosen (422)
        page.get_by_role("button", name="Emitir tickets").click()
        # then
        expect(page.locator("#emitidos [role=alert]")).to_have_text(
            "Elija al menos un servicio que se ofrezca en este centro."
        )

        # when: a reprint of a code that does not exist (404)
        page.get_by_label("Código del ticket", exact=True).fill("Z-999")
        page.get_by_role("button", name="Reimprimir").click()
        # then
        expect(page.locator("#reimpresion [role=alert]")).to_have_text(
            "No hay un ticket de hoy con ese código en este centro."
        )

        # when: a check-in with an unknown booking code (404)
        page.locator("#checkin-code").fill("ABCD2345")
        page.locator("#checkin-number").fill("10117410")
        page.get_by_role("button", name="Registrar llegada").click()
        # then
        expect(page.locator("#llegada [role=alert]")).to_contain_text("No encontramos una cita")

        assert statuses[-3:] == [422, 404, 404]
        assert (Ticket.objects.count(), Visit.objects.count()) == (0, 0)
