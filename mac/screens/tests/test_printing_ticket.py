from __future__ import annotations

from pathlib import Path

import pytest
from escpos.printer import Dummy

from mac.queueing import actions
from mac.screens import printing
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world

QR_STORE = b"\x1d(k"  # GS ( k: the ESC/POS 2D-code function


class TestPrintedTicket:
    def test_it_prints_center_code_service_wait_time_and_qr(
        self, world: World, frozen: None, settings: object
    ) -> None:
        settings.SITE_URL = "https://mac.example.pe"  # type: ignore[attr-defined]
        ticket = actions.issue_ticket(world.center, world.dni)
        printer = Dummy()
        assert printing.print_ticket(ticket, wait_seconds=600, printer=printer) is True
        data = printer.output
        url = f"https://mac.example.pe/turno/{ticket.visit.token}/".encode()
        assert b"Centro MAC Lima Norte" in data
        assert b"R-001" in data
        assert b"Duplicado del DNI" in data
        assert b"Unos 10 min" in data
        assert b"01/12/2026 10:00" in data  # issued 10:00 in Lima
        # The QR is the printer's own: store the URL (fn 80), then print it (fn 81).
        store = QR_STORE + bytes([len(url) + 3, 0]) + b"1P0" + url
        assert store in data
        assert QR_STORE + b"\x03\x001Q0" in data
        assert data.endswith(b"\x1dV\x00")  # cut

    def test_it_writes_the_bytes_to_a_file_printer(
        self, world: World, frozen: None, settings: object, tmp_path: Path
    ) -> None:
        target = tmp_path / "lp0"
        settings.TICKET_PRINTER = f"file:{target}"  # type: ignore[attr-defined]
        ticket = actions.issue_ticket(world.center, world.dni)
        assert printing.print_ticket(ticket, wait_seconds=None) is True
        data = target.read_bytes()
        assert b"R-001" in data
        assert QR_STORE in data and ticket.visit.token.encode() in data
        assert "Por confirmar".encode("cp437") in data

    def test_it_keeps_the_dummy_output_for_demos(
        self, world: World, frozen: None, settings: object
    ) -> None:
        settings.TICKET_PRINTER = "dummy"  # type: ignore[attr-defined]
        ticket = actions.issue_ticket(world.center, world.dni)
        printing.print_ticket(ticket, wait_seconds=60)
        assert b"R-001" in printing.dummy_outputs[-1]

    def test_it_reports_a_failed_printer_without_raising(
        self, world: World, frozen: None, settings: object
    ) -> None:
        settings.TICKET_PRINTER = "file:/nonexistent/dir/lp0"  # type: ignore[attr-defined]
        ticket = actions.issue_ticket(world.center, world.dni)
        assert printing.print_ticket(ticket, wait_seconds=60) is False

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("none", printing.PrinterSpec("none")),
            ("dummy", printing.PrinterSpec("dummy")),
            ("file:/dev/usb/lp0", printing.PrinterSpec("file", target="/dev/usb/lp0")),
            ("network:10.0.0.9:9100", printing.PrinterSpec("network", target="10.0.0.9")),
            ("network:printer.local", printing.PrinterSpec("network", target="printer.local")),
            ("usb:04b8:0202", printing.PrinterSpec("usb", vendor=0x04B8, product=0x0202)),
        ],
    )
    def test_it_reads_the_printer_setting(self, value: str, expected: printing.PrinterSpec) -> None:
        assert printing.parse_printer(value) == expected

    @pytest.mark.parametrize("value", ["usb:zz:1", "network:", "file:", "laser"])
    def test_it_rejects_a_malformed_printer_setting(self, value: str) -> None:
        with pytest.raises(printing.PrinterConfigError):
            printing.parse_printer(value)
