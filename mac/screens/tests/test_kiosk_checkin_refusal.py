"""A refused check-in on the kiosk, a shared screen: the refusal is said, but
the booking code and the document number are not shown again, and the
screen goes back to the start sooner than the other screens."""

from __future__ import annotations

import re

from django.urls import reverse

from mac.appointments import actions as appointments
from mac.core.testing import CITIZEN_DNI
from mac.queueing.models import Ticket
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
_no_pow = checkin._no_pow


def idle_seconds(body: str) -> int:
    found = re.search(r'class="kiosk-shell" data-idle-seconds="(\d+)"', body)
    assert found is not None
    return int(found[1])


def field_values(body: str) -> dict[str, str]:
    inputs = re.findall(
        r'<input class="kiosk-input[^"]*" type="text" name="(\w+)"[^>]*value="([^"]*)"', body
    )
    selected = re.findall(r'<option value="(\w+)" selected>', body)
    return {**dict(inputs), "document_type": ",".join(selected)}


class TestKioskCheckinRefusal:
    def test_a_wrong_document_is_not_shown_again(self, world: World, frozen: None) -> None:
        # given
        booking = checkin.book(world)
        client = kiosk_client(world.center)

        # when the citizen types another document
        response = checkin.post(client, checkin.checkin_data(booking, document_number="40506070"))

        # then the refusal is said over a blank form, and it leaves sooner
        assert response.status_code == 404
        body = response.content.decode()
        assert "No encontramos una cita con ese código y ese documento." in body
        assert field_values(body) == {"code": "", "document_number": "", "document_type": "dni"}
        assert "40506070" not in body and booking.code not in body
        assert 'id="cita-codigo"' in body and "autofocus" in body
        assert idle_seconds(body) == 20
        assert not Ticket.objects.exists()

    def test_a_refused_booking_is_not_shown_again(self, world: World, frozen: None) -> None:
        booking = checkin.book(world)
        appointments.cancel(booking.code, document_type="dni", document_number=CITIZEN_DNI)
        client = kiosk_client(world.center)

        response = checkin.post(client, checkin.checkin_data(booking))

        assert response.status_code == 409
        body = response.content.decode()
        assert "Esta cita fue anulada; saca un ticket sin cita." in body
        assert CITIZEN_DNI not in body and booking.code not in body
        assert field_values(body) == {"code": "", "document_number": "", "document_type": "dni"}
        assert idle_seconds(body) == 20

    def test_a_mistyped_form_keeps_what_to_correct_but_leaves_sooner(
        self, world: World, frozen: None
    ) -> None:
        booking = checkin.book(world)
        client = kiosk_client(world.center)

        response = checkin.post(client, checkin.checkin_data(booking, document_number="123"))

        assert response.status_code == 422
        body = response.content.decode()
        assert field_values(body) == {
            "code": booking.code,
            "document_number": "123",
            "document_type": "dni",
        }
        assert idle_seconds(body) == 20

    def test_the_form_itself_waits_as_long_as_the_other_screens(
        self, world: World, frozen: None
    ) -> None:
        client = kiosk_client(world.center)

        body = client.get(reverse("screens:kiosk_checkin", args=["lima-norte"])).content.decode()

        assert idle_seconds(body) == 60
