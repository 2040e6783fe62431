"""Each center prints on its own printer (settings.TICKET_PRINTERS, by the
center's slug); a center not named there uses settings.TICKET_PRINTER."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from mac.queueing.models import Ticket
from mac.queueing.testing import staffed_counter
from mac.screens import printing
from mac.screens.forms import new_form_key
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world


class TestPrinterPerCenter:
    def test_each_centers_kiosk_prints_on_its_own_printer(
        self, world: World, frozen: None, settings: object, tmp_path: Path
    ) -> None:
        # given: Arequipa has its printer; Lima Norte uses the default one
        arequipa_printer = tmp_path / "arequipa-lp0"
        settings.TICKET_PRINTER = "dummy"  # type: ignore[attr-defined]
        settings.TICKET_PRINTERS = f"arequipa=file:{arequipa_printer}"  # type: ignore[attr-defined]
        staffed_counter(world.other, world.sunat, 1, [world.elsewhere])
        lima, arequipa = kiosk_client(world.center), kiosk_client(world.other)

        # when
        lima.post(
            reverse("screens:kiosk_issue", args=["lima-norte"]),
            kiosk_post(world, lima, new_form_key()),
        )
        arequipa.post(
            reverse("screens:kiosk_issue", args=["arequipa"]),
            kiosk_post(world, arequipa, new_form_key(), servicio=str(world.elsewhere.pk)),
        )

        # then
        assert Ticket.objects.count() == 2
        assert len(printing.dummy_outputs) == 1
        assert b"Centro MAC Lima Norte" in printing.dummy_outputs[0]
        on_paper = arequipa_printer.read_bytes()
        assert b"Centro MAC Arequipa" in on_paper and b"D-001" in on_paper
        assert b"Lima Norte" not in on_paper

    def test_a_center_without_printer_shows_the_ticket_on_screen_only(
        self, world: World, frozen: None, settings: object
    ) -> None:
        settings.TICKET_PRINTER = "dummy"  # type: ignore[attr-defined]
        settings.TICKET_PRINTERS = {"lima-norte": "none"}  # type: ignore[attr-defined]
        client = kiosk_client(world.center)

        response = client.post(
            reverse("screens:kiosk_issue", args=["lima-norte"]),
            kiosk_post(world, client, new_form_key()),
        )

        assert response.status_code == 200
        assert Ticket.objects.count() == 1
        assert len(printing.dummy_outputs) == 0
        assert (
            printing.printer_configured(world.center),
            printing.printer_configured(world.other),
        ) == (
            False,
            True,
        )

    def test_the_desk_reprints_on_its_centers_printer(
        self, world: World, frozen: None, settings: object, tmp_path: Path
    ) -> None:
        lima_printer = tmp_path / "lima-lp0"
        settings.TICKET_PRINTER = "dummy"  # type: ignore[attr-defined]
        settings.TICKET_PRINTERS = {"lima-norte": f"file:{lima_printer}"}  # type: ignore[attr-defined]
        kiosk = kiosk_client(world.center)
        kiosk.post(
            reverse("screens:kiosk_issue", args=["lima-norte"]),
            kiosk_post(world, kiosk, new_form_key()),
        )
        lima_printer.unlink()
        desk = Client()
        desk.force_login(world.olga)

        response = desk.post(
            reverse("screens:orientation_reprint", args=["lima-norte"]),
            {"code": "R-001"},
            HTTP_HX_REQUEST="true",
        )

        assert "Ticket R-001 reimpreso." in response.content.decode()
        assert b"R-001" in lima_printer.read_bytes()
        assert len(printing.dummy_outputs) == 0

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("", {}),
            ("lima-norte=dummy", {"lima-norte": "dummy"}),
            (
                " lima-norte = network:10.1.0.20:9100 , arequipa=usb:04b8:0202,",
                {"lima-norte": "network:10.1.0.20:9100", "arequipa": "usb:04b8:0202"},
            ),
            ({"cusco": "file:/dev/usb/lp0"}, {"cusco": "file:/dev/usb/lp0"}),
        ],
    )
    def test_it_reads_the_printers_setting(
        self, value: str | dict[str, str], expected: dict[str, str]
    ) -> None:
        assert printing.center_printers(value) == expected

    @pytest.mark.parametrize("value", ["lima-norte", "=dummy", "lima-norte="])
    def test_a_malformed_entry_fails_the_print_not_the_ticket(
        self, world: World, frozen: None, settings: object, value: str
    ) -> None:
        settings.TICKET_PRINTER = "dummy"  # type: ignore[attr-defined]
        settings.TICKET_PRINTERS = value  # type: ignore[attr-defined]
        client = kiosk_client(world.center)

        response = client.post(
            reverse("screens:kiosk_issue", args=["lima-norte"]),
            kiosk_post(world, client, new_form_key()),
        )

        assert response.status_code == 200
        assert Ticket.objects.count() == 1
        assert len(printing.dummy_outputs) == 0
        assert "La impresora no respondió." in response.content.decode()
