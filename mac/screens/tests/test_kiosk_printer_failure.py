from __future__ import annotations

from django.urls import reverse

from mac.queueing.models import Ticket
from mac.screens.forms import new_form_key
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world


class TestPrinterFailure:
    def test_it_keeps_the_ticket_and_says_the_printer_failed(
        self, world: World, frozen: None, settings: object
    ) -> None:
        settings.TICKET_PRINTER = "network:127.0.0.1:9"  # type: ignore[attr-defined]
        settings.TICKET_PRINTER_TIMEOUT = 1  # type: ignore[attr-defined]
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        response = client.post(url, kiosk_post(world, client, new_form_key()))
        assert response.status_code == 200
        body = response.content.decode()
        assert "R-001" in body
        assert "La impresora no respondió" in body
        assert Ticket.objects.get().code == "R-001"

    def test_it_shows_the_ticket_code_wait_and_qr(
        self, world: World, frozen: None, settings: object
    ) -> None:
        settings.TICKET_PRINTER = "dummy"  # type: ignore[attr-defined]
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        response = client.post(url, kiosk_post(world, client, new_form_key()))
        body = response.content.decode()
        ticket = Ticket.objects.get()
        assert "Retira tu ticket impreso." in body
        assert f"/turno/{ticket.visit.token}/" in body
        assert "<svg" in body
        assert "Espera estimada: unos" in body
