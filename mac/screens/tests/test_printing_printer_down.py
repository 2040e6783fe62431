"""A dead printer costs one attempt, not one per ticket: after a failed print
the printer is skipped for TICKET_PRINTER_DOWN_SECONDS (the kiosk shows the
ticket on screen), and the failure is logged once."""

from __future__ import annotations

import datetime as dt
import logging
import socket
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mac.queueing import actions
from mac.queueing.models import Ticket
from mac.queueing.testing import OPEN
from mac.screens import printing
from mac.screens.forms import new_form_key
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world

FAILED = "La impresora no respondió"


def closed_port() -> int:
    """A local port where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[printing.PrinterSpec]:
    """The printers print_ticket tried to open, in order."""
    tried: list[printing.PrinterSpec] = []
    real = printing.open_printer

    def spy(spec: printing.PrinterSpec) -> Any:
        tried.append(spec)
        return real(spec)

    monkeypatch.setattr(printing, "open_printer", spy)
    return tried


def issue(client: Client, world: World) -> str:
    url = reverse("screens:kiosk_issue", args=["lima-norte"])
    response = client.post(url, kiosk_post(world, client, new_form_key()))
    assert response.status_code == 200
    return str(response.content.decode())


def print_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "mac.screens.printing"]


class TestPrinterDown:
    def test_a_dead_printer_is_tried_once_then_skipped(
        self,
        world: World,
        frozen: None,
        settings: Any,
        attempts: list[printing.PrinterSpec],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        # given: the center's network printer refuses connections
        port = closed_port()
        settings.TICKET_PRINTER = f"network:127.0.0.1:{port}"
        settings.TICKET_PRINTER_TIMEOUT = 1
        client = kiosk_client(world.center)
        caplog.set_level(logging.ERROR, logger="mac.screens.printing")

        # when: three tickets in a row
        pages = [issue(client, world) for _ in range(3)]

        # then: one attempt and one log line; every ticket is issued and on screen
        assert len(attempts) == 1
        assert all(FAILED in page for page in pages)
        assert list(Ticket.objects.order_by("id").values_list("code", flat=True)) == [
            "R-001",
            "R-002",
            "R-003",
        ]
        assert print_errors(caplog) == [
            "Ticket R-001 was issued but could not be printed;"
            f" printer network:127.0.0.1:{port} skipped for 60 s"
        ]

    def test_it_tries_again_after_the_down_time(
        self,
        world: World,
        frozen: None,
        settings: Any,
        attempts: list[printing.PrinterSpec],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        settings.TICKET_PRINTER = f"network:127.0.0.1:{closed_port()}"
        settings.TICKET_PRINTER_DOWN_SECONDS = 30
        client = kiosk_client(world.center)
        caplog.set_level(logging.ERROR, logger="mac.screens.printing")
        issue(client, world)

        with time_machine.travel(OPEN + dt.timedelta(seconds=29), tick=False):
            issue(client, world)
        tried_within = len(attempts)
        with time_machine.travel(OPEN + dt.timedelta(seconds=31), tick=False):
            issue(client, world)

        assert (tried_within, len(attempts)) == (1, 2)
        assert len(print_errors(caplog)) == 2

    def test_another_centers_printer_is_not_skipped(
        self, world: World, frozen: None, settings: Any, attempts: list[printing.PrinterSpec]
    ) -> None:
        # given: Lima Norte's printer is down; Arequipa's works
        settings.TICKET_PRINTERS = {
            "lima-norte": f"network:127.0.0.1:{closed_port()}",
            "arequipa": "dummy",
        }
        issue(kiosk_client(world.center), world)

        # when Arequipa prints
        ticket = actions.issue_ticket(world.other, world.elsewhere)
        printed = printing.print_ticket(ticket, wait_seconds=None)

        # then
        assert printed is True
        assert [spec.kind for spec in attempts] == ["network", "dummy"]
