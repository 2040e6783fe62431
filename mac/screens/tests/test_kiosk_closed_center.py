from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from mac.queueing.models import Ticket
from mac.queueing.testing import LIMA
from mac.screens.forms import new_form_key
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
world = setup.world
# A Tuesday at 21:00 in Lima: the builders' centers close at 18:30.
NIGHT = dt.datetime(2026, 12, 1, 21, 0, tzinfo=LIMA)


class TestClosedCenter:
    def test_it_says_the_center_is_closed_on_the_start_screen(self, world: World) -> None:
        client = kiosk_client(world.center)
        with time_machine.travel(NIGHT, tick=False):
            response = client.get(reverse("screens:kiosk", args=["lima-norte"]))
        assert response.status_code == 200
        assert "está cerrado en este momento" in response.content.decode()

    def test_it_issues_nothing_when_closed(self, world: World) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        with time_machine.travel(NIGHT, tick=False):
            key = new_form_key()
            response = client.post(url, kiosk_post(world, client, key))
        assert response.status_code == 409
        assert "Centro MAC Lima Norte está cerrado en este momento." in response.content.decode()
        assert Ticket.objects.count() == 0
