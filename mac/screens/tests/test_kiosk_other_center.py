from __future__ import annotations

from django.urls import reverse

from mac.queueing.models import Ticket, Visit
from mac.screens.forms import new_form_key
from mac.screens.models import KioskRequest
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world


class TestAnotherCentersService:
    def test_it_refuses_a_service_of_another_center(self, world: World, frozen: None) -> None:
        # given a Lima Norte kiosk and a service offered only in Arequipa
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        data = kiosk_post(world, client, new_form_key(), servicio=str(world.elsewhere.pk))
        # when
        response = client.post(url, data)
        # then
        assert response.status_code == 422
        assert "no se ofrece en este Centro MAC" in response.content.decode()
        assert Ticket.objects.count() == 0
        assert Visit.objects.count() == 0
        assert KioskRequest.objects.count() == 0

    def test_it_hides_the_form_of_another_centers_service(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_details", args=["lima-norte"])
        response = client.get(url, {"servicio": world.elsewhere.pk})
        assert response.status_code == 404

    def test_it_refuses_a_kiosk_of_another_center(self, world: World, frozen: None) -> None:
        # given a device authorised for Arequipa posting to Lima Norte
        client = kiosk_client(world.other)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        response = client.post(url, kiosk_post(world, client, new_form_key()))
        assert response.status_code == 403
        assert Ticket.objects.count() == 0
