"""The printed ticket is bold only where it means it (center, code, entity,
priority): python-escpos keeps bold on until told otherwise."""

from __future__ import annotations

from escpos.printer import Dummy

from mac.queueing import actions
from mac.screens import printing
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world

BOLD_ON, BOLD_OFF = b"\x1bE\x01", b"\x1bE\x00"  # ESC E n


def bold_at(output: bytes, text: bytes) -> bool:
    """Whether the printer prints `text` in bold: the last ESC E before it."""
    at = output.index(text)
    return output.rfind(BOLD_ON, 0, at) > output.rfind(BOLD_OFF, 0, at)


class TestPrintedTicketBold:
    def test_it_prints_bold_only_the_center_code_entity_and_priority(
        self, world: World, frozen: None
    ) -> None:
        # given
        ticket = actions.issue_ticket(world.center, world.dni, priority_reason="pregnant")
        printer = Dummy()

        # when
        printing.render_ticket(printer, ticket, wait_seconds=600)

        # then
        out = printer.output
        lines = [
            b"Centro MAC Lima Norte",
            b"Tu turno",
            ticket.code.encode(),
            b"RENIEC",
            b"Duplicado del DNI",
            b"preferente",
            b"Espera estimada: Unos 10 min",
            b"01/12/2026 10:00",
            b"Sigue tu turno en tu celular:",
            b"Espera el llamado en la pantalla.",
            b"califica tu",
        ]
        assert [bold_at(out, line) for line in lines] == [
            True,
            False,
            True,
            True,
            False,
            True,
            False,
            False,
            False,
            False,
            False,
        ]
