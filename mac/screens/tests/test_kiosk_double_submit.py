from __future__ import annotations

from django.urls import reverse

from mac.queueing.models import Ticket, Visit
from mac.screens.forms import new_form_key
from mac.screens.models import KioskRequest
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
dummy_printer = setup.dummy_printer
frozen = setup.frozen
world = setup.world


class TestDoubleSubmit:
    def test_it_issues_one_ticket_for_a_double_tap(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        # given
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        data = kiosk_post(world, client, new_form_key())
        # when
        first = client.post(url, data)
        second = client.post(url, data)
        # then
        assert first.status_code == second.status_code == 200
        assert Ticket.objects.count() == 1
        assert Visit.objects.count() == 1
        code = Ticket.objects.get().code
        assert code == "R-001"
        assert code in first.content.decode() and code in second.content.decode()
        assert KioskRequest.objects.get().ticket == Ticket.objects.get()

    def test_it_prints_only_once_for_a_double_tap(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        from mac.screens import printing

        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        data = kiosk_post(world, client, new_form_key())
        client.post(url, data)
        client.post(url, data)
        assert len(printing.dummy_outputs) == 1

    def test_it_issues_a_new_ticket_for_a_new_key(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        client.post(url, kiosk_post(world, client, new_form_key()))
        client.post(url, kiosk_post(world, client, new_form_key()))
        assert sorted(Ticket.objects.values_list("code", flat=True)) == ["R-001", "R-002"]

    def test_it_refuses_a_forged_key(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        response = client.post(url, kiosk_post(world, client, "made-up-key:abc:def"))
        assert response.status_code == 200
        assert "caducó" in response.content.decode()
        assert Ticket.objects.count() == 0
