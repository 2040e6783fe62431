from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mac.queueing import actions
from mac.queueing.models import Ticket, Visit
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
dummy_printer = setup.dummy_printer
frozen = setup.frozen
world = setup.world


class TestOrientationAccess:
    def test_it_sends_anonymous_users_to_sign_in(self, world: World, frozen: None) -> None:
        response = Client().get(reverse("screens:orientation", args=["lima-norte"]))
        assert response.status_code == 302
        assert response["Location"] == "/personal/entrar/?next=/centros/lima-norte/orientacion/"

    def test_it_opens_for_orientation_staff_of_the_center(self, world: World, frozen: None) -> None:
        client = Client()
        client.force_login(world.olga)
        response = client.get(reverse("screens:orientation", args=["lima-norte"]))
        assert response.status_code == 200
        assert "Buscar el trámite" in response.content.decode()

    @pytest.mark.parametrize("who", ["oscar (orientation, Arequipa)", "bob (advisor, Lima Norte)"])
    def test_it_refuses_other_staff_and_changes_nothing(
        self, world: World, frozen: None, dummy_printer: None, who: str
    ) -> None:
        # given a ticket at Lima Norte
        ticket = actions.issue_ticket(world.center, world.dni)
        user = world.oscar if who.startswith("oscar") else world.bob
        client = Client()
        client.force_login(user)
        base = "screens:orientation"
        # when
        responses = [
            client.get(reverse(base, args=["lima-norte"])),
            client.get(reverse(f"{base}_search", args=["lima-norte"]), {"q": "dni"}),
            client.post(
                reverse(f"{base}_issue", args=["lima-norte"]),
                {"servicio": [world.dni.pk], "language": "es"},
            ),
            client.post(reverse(f"{base}_reprint", args=["lima-norte"]), {"code": ticket.code}),
        ]
        # then
        assert [r.status_code for r in responses] == [403, 403, 403, 403]
        assert Ticket.objects.count() == 1
        assert Visit.objects.count() == 1
        from mac.screens import printing

        assert len(printing.dummy_outputs) == 0
