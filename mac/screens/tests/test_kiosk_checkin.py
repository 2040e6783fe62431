"""Arriving with an appointment: "Tengo cita" on the kiosk (code or QR and
the document), and the check-in form of the orientation desk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mac.appointments import actions as appointments
from mac.appointments.models import Booking
from mac.appointments.testing import MORNING, agenda, lima
from mac.core.models import AuditLog
from mac.core.testing import CITIZEN_DNI, PASSWORD
from mac.queueing.models import Ticket
from mac.screens import printing
from mac.screens.forms import CHECKIN_KEY_SALT, new_form_key
from mac.screens.models import KioskRequest
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
dummy_printer = setup.dummy_printer

DAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _no_pow(settings: object) -> None:
    settings.APPOINTMENTS = {"POW_REQUIRED": False}  # type: ignore[attr-defined]


def book(world: World, *, center: str = "lima-norte", number: str = CITIZEN_DNI) -> Booking:
    """A booking made at 09:00 for 10:10 today (the kiosk clock says 10:00)."""
    service = world.dni if center == "lima-norte" else world.elsewhere
    place = world.center if center == "lima-norte" else world.other
    agenda(place, service)
    with time_machine.travel(MORNING, tick=False):
        slot = next(
            s for s in appointments.open_day(place, service, DAY) if s.start == lima(DAY, 10, 10)
        )
        return appointments.book(
            slot.pk, service, document_type="dni", document_number=number, email="ana@example.pe"
        )


def checkin_data(booking: Booking, **overrides: str) -> dict[str, str]:
    data = {
        "key": new_form_key(CHECKIN_KEY_SALT),
        "code": booking.code,
        "document_type": "dni",
        "document_number": booking.document_number,
    }
    data.update(overrides)
    return data


def post(client: Client, data: dict[str, str]) -> Any:
    return client.post(reverse("screens:kiosk_checkin_post", args=["lima-norte"]), data)


class TestKioskCheckin:
    def test_it_offers_tengo_cita_where_the_center_gives_appointments(
        self, world: World, frozen: None
    ) -> None:
        client = kiosk_client(world.center)
        before = client.get(reverse("screens:kiosk", args=["lima-norte"])).content.decode()
        agenda(world.center, world.dni)

        after = client.get(reverse("screens:kiosk", args=["lima-norte"])).content.decode()

        assert "Tengo cita" not in before
        assert 'href="/centros/lima-norte/kiosko/cita/">Tengo cita</a>' in after

    def test_it_asks_for_the_code_with_the_focus_on_it(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)

        body = client.get(reverse("screens:kiosk_checkin", args=["lima-norte"])).content.decode()

        assert 'id="cita-codigo"' in body and "autofocus" in body
        assert 'data-enter-next="cita-documento"' in body
        assert 'name="key"' in body
        assert 'data-start="0"' in body

    def test_it_asks_in_quechua(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        client.cookies["django_language"] = "qu"

        response = client.get(reverse("screens:kiosk_checkin", args=["lima-norte"]))

        assert response.status_code == 200
        assert '<html lang="qu">' in response.content.decode()

    def test_it_checks_in_and_prints_the_ticket(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        booking = book(world)
        client = kiosk_client(world.center)

        response = post(client, checkin_data(booking, code=booking.code.lower()))

        assert response.status_code == 200
        body = response.content.decode()
        assert '<p class="ticket__code">R-001</p>' in body
        assert "Registramos tu llegada a la cita de las 10:10." in body
        booking.refresh_from_db()
        ticket = Ticket.objects.get()
        assert (booking.status, booking.ticket, booking.late) == ("checked_in", ticket, False)
        assert (ticket.source, ticket.appointment_at) == ("appointment", lima(DAY, 10, 10))
        assert len(printing.dummy_outputs) == 1
        assert b"R-001" in printing.dummy_outputs[0]
        audit = AuditLog.objects.get(action="appointments.check_in")
        assert (audit.actor, audit.data["source"]) == (None, "kiosk")

    def test_it_answers_a_double_tap_with_the_same_ticket(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        booking = book(world)
        client = kiosk_client(world.center)
        data = checkin_data(booking)

        first = post(client, data)
        second = post(client, data)

        assert first.status_code == second.status_code == 200
        assert '<p class="ticket__code">R-001</p>' in second.content.decode()
        assert Ticket.objects.count() == 1
        assert len(printing.dummy_outputs) == 1

    def test_it_refuses_a_cancelled_booking(self, world: World, frozen: None) -> None:
        booking = book(world)
        appointments.cancel(booking.code, document_type="dni", document_number=CITIZEN_DNI)
        client = kiosk_client(world.center)

        response = post(client, checkin_data(booking))

        assert response.status_code == 409
        assert (
            '<p class="kiosk-alert kiosk-alert--error kiosk-alert--big" role="alert">'
            "Esta cita fue anulada; saca un ticket sin cita.</p>" in response.content.decode()
        )
        assert not Ticket.objects.exists()
        assert not KioskRequest.objects.exists()
        booking.refresh_from_db()
        assert booking.status == "cancelled"

    def test_it_says_when_it_is_too_early(self, world: World) -> None:
        booking = book(world)
        client = kiosk_client(world.center)

        with time_machine.travel(lima(DAY, 9, 30), tick=False):
            response = post(client, checkin_data(booking))

        assert response.status_code == 409
        assert "Es temprano: puedes registrar tu llegada desde las 09:40." in (
            response.content.decode()
        )
        booking.refresh_from_db()
        assert booking.status == "confirmed"
        assert not Ticket.objects.exists()

    def test_it_reveals_nothing_for_a_wrong_document(self, world: World, frozen: None) -> None:
        booking = book(world)
        client = kiosk_client(world.center)

        response = post(client, checkin_data(booking, document_number="40506070"))

        assert response.status_code == 404
        body = response.content.decode()
        assert "No encontramos una cita con ese código y ese documento." in body
        assert "10:10" not in body
        booking.refresh_from_db()
        assert booking.status == "confirmed"
        assert not Ticket.objects.exists()

    def test_it_refuses_a_booking_of_another_center(self, world: World, frozen: None) -> None:
        booking = book(world, center="arequipa")
        client = kiosk_client(world.center)

        response = post(client, checkin_data(booking))

        assert response.status_code == 409
        assert "Tu cita es en el Centro MAC Arequipa, no en este centro." in (
            response.content.decode()
        )
        booking.refresh_from_db()
        assert booking.status == "confirmed"
        assert not Ticket.objects.exists()

    def test_it_queues_a_late_arrival_as_a_walk_in(self, world: World) -> None:
        booking = book(world)
        client = kiosk_client(world.center)

        with time_machine.travel(lima(DAY, 10, 30), tick=False):
            response = post(client, checkin_data(booking))

        assert response.status_code == 200
        assert (
            "Tu cita era a las 10:10: llegaste tarde, así que te atenderemos en la fila sin cita."
            in response.content.decode()
        )
        booking.refresh_from_db()
        assert booking.late is True
        assert Ticket.objects.get().source == "kiosk"

    def test_it_keeps_the_form_when_the_document_is_missing(
        self, world: World, frozen: None
    ) -> None:
        booking = book(world)
        client = kiosk_client(world.center)
        data = checkin_data(booking, document_number="")

        response = post(client, data)

        assert response.status_code == 422
        body = response.content.decode()
        assert "Ingresa el número de documento." in body
        assert f'value="{booking.code}"' in body
        assert f'value="{data["key"]}"' in body
        assert not Ticket.objects.exists()

    def test_it_refuses_a_browser_that_is_not_a_kiosk(self, world: World, frozen: None) -> None:
        booking = book(world)

        response = post(Client(), checkin_data(booking))

        assert response.status_code == 403
        booking.refresh_from_db()
        assert booking.status == "confirmed"
        assert not Ticket.objects.exists()


class TestOrientationCheckin:
    def test_it_checks_in_at_the_desk(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        booking = book(world)
        client = Client()
        client.login(username="olga", password=PASSWORD)

        response = client.post(
            reverse("screens:orientation_checkin", args=["lima-norte"]),
            {"code": booking.code, "document_type": "dni", "document_number": CITIZEN_DNI},
            headers={"HX-Request": "true"},
        )

        assert response.status_code == 200
        assert "Llegada registrada: ticket R-001. impreso" in " ".join(
            response.content.decode().split()
        )
        booking.refresh_from_db()
        assert booking.status == "checked_in"
        assert booking.ticket is not None and booking.ticket.visit.created_by == world.olga
        audit = AuditLog.objects.get(action="appointments.check_in")
        assert (audit.actor, audit.data["source"]) == (world.olga, "orientation")

    def test_it_shows_the_refusal_at_the_desk(self, world: World, frozen: None) -> None:
        booking = book(world)
        client = Client()
        client.login(username="olga", password=PASSWORD)

        response = client.post(
            reverse("screens:orientation_checkin", args=["lima-norte"]),
            {"code": booking.code, "document_type": "dni", "document_number": "40506070"},
        )

        assert response.status_code == 404
        assert "No encontramos una cita con ese código y ese documento." in (
            response.content.decode()
        )
        assert not Ticket.objects.exists()

    def test_it_refuses_staff_of_another_center(self, world: World, frozen: None) -> None:
        booking = book(world)
        client = Client()
        client.login(username="oscar", password=PASSWORD)

        response = client.post(
            reverse("screens:orientation_checkin", args=["lima-norte"]),
            {"code": booking.code, "document_type": "dni", "document_number": CITIZEN_DNI},
        )

        assert response.status_code == 403
        booking.refresh_from_db()
        assert booking.status == "confirmed"
