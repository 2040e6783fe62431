from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mac.accounts.models import Role
from mac.core.testing import make_user
from mac.screens.kiosk import DEVICE_COOKIE
from mac.screens.models import KioskDevice
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world


class TestKioskAccess:
    def test_it_requires_an_authorised_device(self, world: World, frozen: None) -> None:
        response = Client().get(reverse("screens:kiosk", args=["lima-norte"]))
        assert response.status_code == 403
        assert "no está autorizado como kiosko" in response.content.decode()

    def test_it_ignores_a_forged_device_cookie(self, world: World, frozen: None) -> None:
        client = Client()
        client.cookies[DEVICE_COOKIE] = "1:forged:signature"
        assert client.get(reverse("screens:kiosk", args=["lima-norte"])).status_code == 403

    def test_it_refuses_a_revoked_device(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        KioskDevice.objects.update(revoked_at=timezone.now())
        assert client.get(reverse("screens:kiosk", args=["lima-norte"])).status_code == 403

    def test_it_lets_orientation_staff_use_the_kiosk(self, world: World, frozen: None) -> None:
        client = Client()
        client.force_login(world.olga)
        assert client.get(reverse("screens:kiosk", args=["lima-norte"])).status_code == 200

    def test_it_refuses_an_advisor_session(self, world: World, frozen: None) -> None:
        client = Client()
        client.force_login(world.bob)
        assert client.get(reverse("screens:kiosk", args=["lima-norte"])).status_code == 403

    def test_it_lets_a_coordinator_activate_a_device(self, world: World, frozen: None) -> None:
        # given a coordinator signed in on the kiosk's browser
        coordinator = make_user("cora", Role.CENTER_COORDINATOR, center=world.center)
        client = Client()
        client.force_login(coordinator)
        url = reverse("screens:kiosk_activate", args=["lima-norte"])
        # when
        response = client.post(url, {"name": "Kiosko de la entrada"})
        # then the browser is a kiosk, and no longer signed in
        assert response.status_code == 302
        device = KioskDevice.objects.get()
        assert (device.center, device.created_by) == (world.center, coordinator)
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("screens:kiosk", args=["lima-norte"])).status_code == 200

    def test_it_ignores_a_crafted_device_id_to_revoke(self, world: World, frozen: None) -> None:
        coordinator = make_user("cora", Role.CENTER_COORDINATOR, center=world.center)
        device = KioskDevice.objects.create(
            center=world.center, name="Kiosko 1", created_at=timezone.now()
        )
        client = Client()
        client.force_login(coordinator)
        url = reverse("screens:kiosk_activate", args=["lima-norte"])
        for crafted in ("²", "9" * 5000, "9" * 19):
            response = client.post(url, {"revoke": crafted})

            assert (response.status_code, response["Location"]) == (302, url), crafted
        device.refresh_from_db()
        assert device.revoked_at is None

    def test_it_refuses_activation_by_another_centers_coordinator(
        self, world: World, frozen: None
    ) -> None:
        coordinator = make_user("aqp", Role.CENTER_COORDINATOR, center=world.other)
        client = Client()
        client.force_login(coordinator)
        url = reverse("screens:kiosk_activate", args=["lima-norte"])
        response = client.post(url, {"name": "Intruso"})
        assert response.status_code == 404
        assert KioskDevice.objects.count() == 0

    def test_it_sends_anonymous_users_to_sign_in_to_activate(
        self, world: World, frozen: None
    ) -> None:
        url = reverse("screens:kiosk_activate", args=["lima-norte"])
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == "/personal/entrar/?next=/centros/lima-norte/kiosko/activar/"
