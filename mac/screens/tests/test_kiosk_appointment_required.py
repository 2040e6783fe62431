"""A service that requires an appointment gets no walk-in ticket at the
kiosk: the citizen registers their booking's arrival ("Tengo cita") or books
on the portal. Where the center gives no appointments for that service, the
kiosk offers no "Tengo cita" and sends the citizen to the orientation desk
or to a center that books it. The orientation desk may still issue one, and
a check-in (even a late one, queued as a walk-in of the kiosk) is no walk-in."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking
from mac.appointments.testing import agenda, lima
from mac.catalog.models import Service
from mac.core.testing import CITIZEN_DNI
from mac.queueing.models import Ticket, Visit
from mac.screens.forms import new_form_key
from mac.screens.models import KioskRequest
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
_no_pow = checkin._no_pow

REFUSAL = (
    "«Duplicado del DNI» requiere cita previa: el kiosko no da tickets sin cita para este"
    " trámite. Si tienes cita, registra tu llegada con tu código de reserva en «Tengo cita»."
    " Si no la tienes, resérvala en 127.0.0.1:8000/citas/."
)
NOT_BOOKED_HERE = (
    "«Duplicado del DNI» requiere cita previa: el kiosko no da tickets sin cita para este"
    " trámite, y este Centro MAC no da citas para él. Consulta en orientación, o reserva tu"
    " cita en un Centro MAC que lo ofrezca en 127.0.0.1:8000/citas/."
)
ALERT = '<p class="kiosk-alert kiosk-alert--error" role="alert">{}</p>'


def requires_appointment(service: Service) -> None:
    Service.objects.filter(pk=service.pk).update(requires_appointment=True)
    service.refresh_from_db()


class TestKioskAppointmentRequired:
    def test_it_says_so_before_asking_for_the_citizens_data(
        self, world: World, frozen: None, settings: object
    ) -> None:
        # given
        settings.SITE_URL = "http://127.0.0.1:8000"  # type: ignore[attr-defined]
        requires_appointment(world.dni)
        agenda(world.center, world.dni)
        client = kiosk_client(world.center)

        # when
        response = client.get(
            reverse("screens:kiosk_details", args=["lima-norte"]), {"servicio": world.dni.pk}
        )

        # then
        assert response.status_code == 409
        body = response.content.decode()
        assert ALERT.format(REFUSAL) in body
        assert 'href="/centros/lima-norte/kiosko/cita/">Tengo cita</a>' in body
        assert 'name="document_number"' not in body
        assert not Visit.objects.exists()

    def test_where_the_center_books_only_other_services_it_offers_no_tengo_cita(
        self, world: World, frozen: None, settings: object
    ) -> None:
        # given: Lima Norte gives appointments for the RUC, not for the DNI
        settings.SITE_URL = "http://127.0.0.1:8000"  # type: ignore[attr-defined]
        requires_appointment(world.dni)
        agenda(world.center, world.ruc)
        client = kiosk_client(world.center)

        # when
        response = client.get(
            reverse("screens:kiosk_details", args=["lima-norte"]), {"servicio": world.dni.pk}
        )

        # then: no booking of it can be had here, so no "Tengo cita"
        assert response.status_code == 409
        body = response.content.decode()
        assert ALERT.format(NOT_BOOKED_HERE) in body
        assert "Tengo cita" not in body
        assert "kiosko/cita/" not in body
        assert 'name="document_number"' not in body
        assert not Visit.objects.exists()

    @pytest.mark.parametrize(
        ("books", "message"),
        [(True, REFUSAL), (False, NOT_BOOKED_HERE)],
        ids=["center-books-it", "center-does-not-book-it"],
    )
    def test_it_issues_no_walk_in_ticket(
        self, world: World, frozen: None, settings: object, books: bool, message: str
    ) -> None:
        # given: the details form was open when the service began to require one
        settings.SITE_URL = "http://127.0.0.1:8000"  # type: ignore[attr-defined]
        if books:
            agenda(world.center, world.dni)
        client = kiosk_client(world.center)
        data = kiosk_post(
            world, client, new_form_key(), document_type="dni", document_number=CITIZEN_DNI
        )
        requires_appointment(world.dni)

        # when
        response = client.post(reverse("screens:kiosk_issue", args=["lima-norte"]), data)

        # then
        assert response.status_code == 409
        body = response.content.decode()
        assert ALERT.format(message) in body
        assert ('href="/centros/lima-norte/kiosko/cita/">Tengo cita</a>' in body) is books
        assert ("kiosko/cita/" in body) is books
        assert (Ticket.objects.count(), Visit.objects.count()) == (0, 0)
        assert not KioskRequest.objects.exists()

    def test_it_still_issues_walk_in_tickets_for_other_services(
        self, world: World, frozen: None
    ) -> None:
        requires_appointment(world.dni)
        client = kiosk_client(world.center)
        data = kiosk_post(world, client, new_form_key(), servicio=str(world.ruc.pk))

        response = client.post(reverse("screens:kiosk_issue", args=["lima-norte"]), data)

        assert response.status_code == 200
        assert list(Ticket.objects.values_list("code", "source")) == [("S-001", "kiosk")]

    def test_the_orientation_desk_may_still_issue_one(self, world: World, frozen: None) -> None:
        requires_appointment(world.dni)
        desk = Client()
        desk.force_login(world.olga)

        response = desk.post(
            reverse("screens:orientation_issue", args=["lima-norte"]),
            {"servicio": [world.dni.pk], "language": "es"},
            headers={"HX-Request": "true"},
        )

        assert response.status_code == 200
        assert list(Ticket.objects.values_list("code", "source")) == [("R-001", "desk")]

    def test_a_booking_checks_in_at_the_kiosk(self, world: World, frozen: None) -> None:
        requires_appointment(world.dni)
        booking = checkin.book(world)
        client = kiosk_client(world.center)

        response = checkin.post(client, checkin.checkin_data(booking))

        assert response.status_code == 200
        assert list(Ticket.objects.values_list("code", "source")) == [("R-001", "appointment")]

    def test_a_late_booking_checks_in_at_the_kiosk_as_a_walk_in(self, world: World) -> None:
        requires_appointment(world.dni)
        booking = checkin.book(world)
        client = kiosk_client(world.center)

        with time_machine.travel(lima(checkin.DAY, 10, 30), tick=False):
            response = checkin.post(client, checkin.checkin_data(booking))

        assert response.status_code == 200
        assert list(Ticket.objects.values_list("code", "source")) == [("R-001", "kiosk")]
        booking.refresh_from_db()
        assert (booking.status, booking.late) == (Booking.Status.CHECKED_IN, True)
