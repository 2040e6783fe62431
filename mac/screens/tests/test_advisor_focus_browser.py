"""The advisor desk keeps keyboard users in place: after each htmx swap of
the panel the clicked button is gone, and focus must land on what comes next,
never fall back to the page's body."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_live_state_stream import Screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(page: Page, key: str) -> None:
    """Press a key once htmx has settled the last swap (until then the new
    panel's forms are not htmx's yet, and a key would submit one natively)."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    page.keyboard.press(key)


class TestAdvisorFocusBrowser:
    def test_focus_lands_on_the_next_action_after_each_swap(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        screen.issue()
        log_in(page, base, screen.bob)
        page.goto(f"{base}/centros/lima-norte/modulo/")
        status = page.locator(".advisor-messages")

        # signed in by keyboard: on to calling the first citizen
        page.locator("#ingresar-1").focus()
        press(page, "Enter")
        expect(status).to_contain_text("Sesión iniciada en el Módulo 1.")
        expect(page.locator("#llamar")).to_be_focused()

        press(page, "l")
        expect(page.locator("#ticket-actual")).to_be_focused()
        press(page, "i")
        expect(status).to_contain_text("Atención del ticket R-001 iniciada.")
        press(page, "1")
        expect(status).to_contain_text("Ticket R-001 finalizado: Resuelto.")
        expect(page.locator("#llamar")).to_be_focused()

        press(page, "p")
        expect(page.locator("#estado-modulo")).to_have_text("En pausa")
        expect(page.locator("#reanudar")).to_be_focused()
        press(page, "Enter")
        expect(page.locator("#estado-modulo")).to_have_text("Abierto")
        expect(page.locator("#llamar")).to_be_focused()

        press(page, "s")
        expect(status).to_contain_text("Dejó el Módulo 1.")
        expect(page.locator("#ingresar-1")).to_be_focused()

    def test_a_swapped_panel_is_htmx_s_before_the_next_key_can_arrive(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        """htmx made a swapped panel's forms its own only when the swap had
        settled, 20 ms later (its default settle delay): a key pressed in that
        window, with focus already on the new panel, submitted a form natively
        (a whole page load of a fragment's address). The desks settle at once:
        by the first microtask after the swap, nothing new is left unprocessed."""
        log_in(page, base, screen.bob)
        page.goto(f"{base}/centros/lima-norte/modulo/")
        page.evaluate(
            """() => {
              window.unprocessedAfterSwap = [];
              document.body.addEventListener("htmx:afterSwap", () => queueMicrotask(() =>
                window.unprocessedAfterSwap.push(document.querySelectorAll(".htmx-added").length)));
            }"""
        )

        page.locator("#ingresar-1").focus()
        press(page, "Enter")
        expect(page.locator("#llamar")).to_be_focused()

        assert page.evaluate("window.unprocessedAfterSwap") == [0]
