"""A check-in gives a ticket in the booking's language of attention (the
visit's, so the status page speaks it too; not the language of its
notices), unless the citizen chose another on the kiosk's language switch
since its last restart."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking
from mac.queueing.models import Counter, Ticket
from mac.screens import printing
from mac.screens.kiosk import LANGUAGE_CHOSEN_COOKIE
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
dummy_printer = setup.dummy_printer
_no_pow = checkin._no_pow

KIOSK = "/centros/lima-norte/kiosko/"


@pytest.fixture(autouse=True)
def _quechua_counter(world: World) -> None:
    """The DNI counter speaks Quechua: a Quechua ticket has somewhere to go."""
    Counter.objects.filter(center=world.center).update(languages=["es", "qu"])


def booked_in(world: World, language: str) -> Booking:
    """A booking to be attended in `language` (its notices in Spanish)."""
    booking = checkin.book(world)
    Booking.objects.filter(pk=booking.pk).update(attention_language=language)
    return booking


def tap_language(client: Client, page: str, language: str) -> None:
    """Tap a language button of the kiosk `page`, as its form does."""
    form = re.search(
        r'<form class="kiosk-lang" action="([^"]+)".*?name="next" value="([^"]*)"', page, re.S
    )
    assert form is not None
    response = client.post(form[1], {"language": language, "next": form[2]})
    assert response.status_code == 302


class TestKioskCheckinLanguage:
    def test_a_booking_made_in_quechua_gives_a_quechua_ticket(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        # given: a booking to be attended in Quechua; the kiosk is as it starts (Spanish)
        booking = booked_in(world, "qu")
        client = kiosk_client(world.center)
        client.get(reverse("screens:kiosk_restart", args=["lima-norte"]))

        # when
        response = checkin.post(client, checkin.checkin_data(booking))

        # then: the ticket, on paper and on screen, and the visit speak Quechua
        assert response.status_code == 200
        ticket = Ticket.objects.get()
        assert (ticket.language, ticket.visit.language) == ("qu", "qu")
        assert b"Turnoyki" in printing.dummy_outputs[0]
        assert b"Tu turno" not in printing.dummy_outputs[0]
        body = response.content.decode()
        assert '<html lang="qu">' in body
        status = Client().get(f"/turno/{ticket.visit.token}/")
        assert '<html lang="qu">' in status.content.decode()

    @pytest.mark.parametrize(("booked", "chosen"), [("qu", "es"), ("es", "qu")])
    def test_the_language_chosen_on_the_kiosk_goes_first(
        self, world: World, frozen: None, dummy_printer: None, booked: str, chosen: str
    ) -> None:
        # given: the citizen taps a language on the check-in form
        booking = booked_in(world, booked)
        client = kiosk_client(world.center)
        page = client.get(reverse("screens:kiosk_checkin", args=["lima-norte"]))
        tap_language(client, page.content.decode(), chosen)

        # when
        response = checkin.post(client, checkin.checkin_data(booking))

        # then
        assert response.status_code == 200
        ticket = Ticket.objects.get()
        assert (ticket.language, ticket.visit.language) == (chosen, chosen)
        assert f'<html lang="{chosen}">' in response.content.decode()
        assert (b"Turnoyki" in printing.dummy_outputs[0]) is (chosen == "qu")

    def test_the_next_citizen_does_not_inherit_the_choice(self, world: World, frozen: None) -> None:
        # given: a citizen chose Quechua, then the kiosk went back to the start
        booking = booked_in(world, "es")
        client = kiosk_client(world.center)
        tap_language(client, client.get(KIOSK).content.decode(), "qu")
        assert client.cookies[LANGUAGE_CHOSEN_COOKIE].value == "qu"
        client.get(reverse("screens:kiosk_restart", args=["lima-norte"]))

        # when the next citizen checks in
        response = checkin.post(client, checkin.checkin_data(booking))

        # then
        assert response.status_code == 200
        assert Ticket.objects.get().language == "es"
        assert '<html lang="es">' in response.content.decode()

    def test_the_desk_prints_it_in_the_language_of_the_booking(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        booking = booked_in(world, "qu")
        desk = Client()
        desk.force_login(world.olga)

        response = desk.post(
            reverse("screens:orientation_checkin", args=["lima-norte"]),
            {
                "code": booking.code,
                "document_type": "dni",
                "document_number": booking.document_number,
            },
        )

        assert response.status_code == 200
        assert Ticket.objects.get().language == "qu"
        assert b"Turnoyki" in printing.dummy_outputs[0]
        assert '<html lang="es">' in response.content.decode()  # the desk's page stays Spanish
