"""The kiosk's two forms (a walk-in ticket, an appointment check-in) sign their
one-time keys apart: a key of one form is refused by the other, and a key
that issued a walk-in ticket never reaches the check-in's booking lookup."""

from __future__ import annotations

import re

from django.core import signing
from django.urls import reverse

from mac.appointments.models import Booking
from mac.queueing.models import Ticket
from mac.screens import printing
from mac.screens.forms import CHECKIN_KEY_SALT, KEY_SALT, new_form_key
from mac.screens.models import KioskRequest
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
dummy_printer = setup.dummy_printer
_no_pow = checkin._no_pow

EXPIRED = "El formulario caducó. Vuelve a escribir el código de tu cita."


def form_key(body: str) -> str:
    found = re.search(r'name="key" value="([^"]*)"', body)
    assert found is not None
    return found[1]


class TestKioskFormKeys:
    def test_it_refuses_a_walk_in_key_on_the_checkin_form(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        # given: a walk-in ticket issued with this key
        booking = checkin.book(world)
        client = kiosk_client(world.center)
        key = new_form_key()
        client.post(
            reverse("screens:kiosk_issue", args=["lima-norte"]), kiosk_post(world, client, key)
        )
        walk_in = Ticket.objects.get()
        printing.dummy_outputs.clear()

        # when
        response = checkin.post(client, checkin.checkin_data(booking, key=key))

        # then
        assert response.status_code == 422
        body = response.content.decode()
        assert EXPIRED in body
        assert form_key(body) != key
        booking.refresh_from_db()
        assert (booking.status, booking.ticket) == (Booking.Status.CONFIRMED, None)
        assert list(Ticket.objects.all()) == [walk_in]
        assert len(printing.dummy_outputs) == 0

    def test_it_refuses_a_checkin_key_on_the_walk_in_form(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        key = new_form_key(CHECKIN_KEY_SALT)

        response = client.post(
            reverse("screens:kiosk_issue", args=["lima-norte"]), kiosk_post(world, client, key)
        )

        assert "El formulario caducó. Vuelve a elegir el servicio." in response.content.decode()
        assert (Ticket.objects.count(), KioskRequest.objects.count()) == (0, 0)

    def test_it_refuses_a_used_key_whose_ticket_has_no_booking(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        # given: the same raw key stored for a walk-in ticket (as if both
        # forms had drawn it), then signed for the check-in form
        booking = checkin.book(world)
        client = kiosk_client(world.center)
        walk_in_key = new_form_key()
        client.post(
            reverse("screens:kiosk_issue", args=["lima-norte"]),
            kiosk_post(world, client, walk_in_key),
        )
        raw = signing.TimestampSigner(salt=KEY_SALT).unsign(walk_in_key)
        key = signing.TimestampSigner(salt=CHECKIN_KEY_SALT).sign(raw)
        printing.dummy_outputs.clear()

        # when
        response = checkin.post(client, checkin.checkin_data(booking, key=key))

        # then: a refusal with a fresh key, not a 500
        assert response.status_code == 422
        body = response.content.decode()
        assert EXPIRED in body
        assert form_key(body) != key
        booking.refresh_from_db()
        assert (booking.status, booking.ticket) == (Booking.Status.CONFIRMED, None)
        assert Ticket.objects.count() == 1
        assert len(printing.dummy_outputs) == 0
