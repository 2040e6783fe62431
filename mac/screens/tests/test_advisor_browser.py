"""The advisor desk driven by keyboard alone, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mac.accounts.models import Role, User
from mac.core.testing import PASSWORD
from mac.core.tests.browser import assert_accessible, screenshot
from mac.queueing.models import Attention, Ticket

from .test_live_state_stream import Screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestAdvisorBrowser:
    def test_it_serves_a_citizen_by_keyboard_shortcuts(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        # given an advisor at the desk, signed in by keyboard, two citizens waiting
        first = screen.issue()
        screen.issue(screen.acta)
        log_in(page, base, screen.bob)
        page.goto(f"{base}/centros/lima-norte/modulo/")
        page.locator("#ingresar-1").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Sesión iniciada en el Módulo 1.")).to_be_visible()
        status = page.locator(".advisor-messages")

        # when they call, recall, start and finish with the keys shown on screen
        page.keyboard.press("l")
        expect(page.locator("#ticket-actual")).to_have_text("R-001")
        expect(page.get_by_text("Presentar el DNI original.")).to_be_visible()
        page.keyboard.press("r")
        expect(status).to_contain_text("Ticket R-001 llamado otra vez (1).")
        page.keyboard.press("i")
        expect(status).to_contain_text("Atención del ticket R-001 iniciada.")
        assert_accessible(page)
        screenshot(page, "advisor.png")
        page.keyboard.press("2")
        expect(status).to_contain_text("Ticket R-001 finalizado: Pendiente.")

        # then the next one is called, marked absent, and an illegal key is explained
        page.keyboard.press("l")
        expect(page.locator("#ticket-actual")).to_have_text("A-001")
        page.keyboard.press("n")
        expect(status).to_contain_text("Ticket A-001 marcado como no presentado.")
        page.keyboard.press("l")
        expect(status).to_contain_text("No hay nadie en espera para los servicios de su módulo.")
        page.keyboard.press("p")
        expect(page.locator("#estado-modulo")).to_have_text("En pausa")
        page.keyboard.press("l")  # disabled while paused: nothing happens
        page.keyboard.press("p")
        expect(page.locator("#estado-modulo")).to_have_text("Abierto")
        first.refresh_from_db()
        assert first.state == Ticket.State.DONE
        assert Attention.objects.get(ticket=first).outcome == "pending"
        assert Ticket.objects.get(code="A-001").state == Ticket.State.NO_SHOW

    def test_it_transfers_by_keyboard_and_updates_waiting_counts_live(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        ticket = screen.issue()
        log_in(page, base, screen.bob)
        screen.sign_in_bob()
        page.goto(f"{base}/centros/lima-norte/modulo/")
        dni_count = page.locator(f'#espera [data-service="{screen.dni.pk}"] strong')
        expect(dni_count).to_have_text("1")

        # a citizen arrives while the desk is open: the count follows the event
        screen.issue()
        expect(dni_count).to_have_text("2")

        page.keyboard.press("l")
        expect(page.locator("#ticket-actual")).to_have_text("R-001")
        page.keyboard.press("d")
        expect(page.locator("#derivar-servicio")).to_be_focused()
        page.locator("#derivar-servicio").select_option(label="Inscripción en el RUC")
        page.keyboard.press("Tab")
        expect(page.locator("#derivar")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator(".advisor-messages")).to_contain_text(
            "Ticket R-001 derivado: nuevo ticket S-001 para Inscripción en el RUC."
        )
        ticket.refresh_from_db()
        assert ticket.state == Ticket.State.TRANSFERRED

    def test_shortcuts_can_be_turned_off(self, page: Page, base: str, screen: Screen) -> None:
        screen.issue()
        log_in(page, base, screen.bob)
        screen.sign_in_bob()
        page.goto(f"{base}/centros/lima-norte/modulo/")
        page.locator(".advisor-keys summary").click()
        page.locator("#atajos").uncheck()
        page.locator("body").click()

        page.keyboard.press("l")

        page.wait_for_timeout(500)
        assert Ticket.objects.get().state == Ticket.State.WAITING


class TestAdvisorSessionEnded:
    def test_an_action_after_leaving_the_account_elsewhere_opens_the_sign_in_page(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        # given the desk open, the advisor at Módulo 1, someone waiting
        screen.issue()
        log_in(page, base, screen.bob)
        page.goto(f"{base}/centros/lima-norte/modulo/")
        page.locator("#ingresar-1").click()
        expect(page.get_by_text("Sesión iniciada en el Módulo 1.")).to_be_visible()
        expect(page.locator("#llamar")).to_be_focused()  # htmx has settled the panel

        # when the account's session ends elsewhere and the advisor calls
        page.context.clear_cookies(name="sessionid")
        page.keyboard.press("l")

        # then the whole page is the sign-in page, which comes back to the desk
        expect(page).to_have_url(
            f"{base}/personal/entrar/?next=%2Fcentros%2Flima-norte%2Fmodulo%2F"
        )
        assert page.locator(".advisor-header").count() == 0
        page.get_by_label("Usuario").fill("bob")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Ingresar").click()
        expect(page).to_have_url(f"{base}/centros/lima-norte/modulo/")
        expect(page.locator("#estado-modulo")).to_have_text("Abierto")
        assert Ticket.objects.get(code="R-001").state == Ticket.State.WAITING


class TestAdvisorNoLongerAllowed:
    def test_an_action_after_the_role_changed_shows_the_whole_403_page(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        # given the desk open, the advisor at Módulo 1, someone waiting
        screen.issue()
        log_in(page, base, screen.bob)
        page.goto(f"{base}/centros/lima-norte/modulo/")
        page.locator("#ingresar-1").click()
        expect(page.get_by_text("Sesión iniciada en el Módulo 1.")).to_be_visible()
        expect(page.locator("#llamar")).to_be_focused()  # htmx has settled the panel

        # when an admin makes the advisor coordinator, and the advisor calls
        User.objects.filter(pk=screen.bob.pk).update(role=Role.CENTER_COORDINATOR)
        page.keyboard.press("l")

        # then the browser goes to the 403 page, whole, with the reason
        expect(page.get_by_role("heading", level=1)).to_have_text("Sin acceso a esta página")
        expect(page.locator("main")).to_contain_text(
            "Esta pantalla es para los asesores de este Centro MAC."
        )
        expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/sin-acceso/\?r="))
        assert page.locator("#panel").count() == 0
        assert page.locator(".advisor-header").count() == 0
        assert Ticket.objects.get(code="R-001").state == Ticket.State.WAITING

        # and the way back leads to the desk, which refuses the account too
        page.get_by_role("link", name="Volver a la pantalla").click()
        expect(page).to_have_url(f"{base}/centros/lima-norte/modulo/")
        expect(page.locator("main")).to_contain_text(
            "Esta pantalla es para los asesores de este Centro MAC."
        )
        assert page.locator("#panel").count() == 0
