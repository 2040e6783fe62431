from __future__ import annotations

from django.urls import reverse

from mac.queueing.models import Ticket
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world


class TestKioskSteps:
    def test_it_lists_only_entities_offered_at_the_center(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        body = client.get(reverse("screens:kiosk", args=["lima-norte"])).content.decode()
        assert "RENIEC" in body and "SUNAT" in body
        assert "screens/pictograms/identity.svg" in body

    def test_it_lists_only_services_offered_at_the_center(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_services", args=["lima-norte"])
        body = client.get(url, {"entidad": "sunat"}).content.decode()
        assert "Inscripción en el RUC" in body
        assert "Cambio de domicilio fiscal" not in body

    def test_it_shows_the_estimated_wait_before_issuing(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_details", args=["lima-norte"])
        body = client.get(url, {"servicio": world.dni.pk}).content.decode()
        assert "Espera estimada: unos" in body
        assert 'name="key"' in body

    def test_it_ignores_crafted_service_ids(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        details = reverse("screens:kiosk_details", args=["lima-norte"])
        issue = reverse("screens:kiosk_issue", args=["lima-norte"])
        for crafted in ("²", "9" * 5000, "9" * 19):
            shown = client.get(details, {"servicio": crafted})
            issued = client.post(issue, {"servicio": crafted, "key": "k", "language": "es"})

            assert (shown.status_code, issued.status_code) == (404, 422), crafted
        assert Ticket.objects.count() == 0

    def test_it_resets_the_language_when_restarting(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        client.cookies["django_language"] = "qu"
        response = client.get(reverse("screens:kiosk_restart", args=["lima-norte"]))
        assert response.status_code == 302
        assert response.cookies["django_language"].value == "es"
