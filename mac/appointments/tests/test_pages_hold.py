"""The hold page: who the appointment is for, then the confirmation with
the code, the QR for the kiosk and the .ics."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking
from mac.appointments.testing import DNI, lima
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    EMAIL,
    FIRST_FREE,
    Citas,
    book_via_pages,
    contact_data,
    hold_via_page,
    slot_at,
    text,
)

# Shared fixtures (pytest finds them by these module attributes).
morning = pages.morning
citas = pages.citas


class TestHoldPage:
    def test_it_shows_the_slot_and_how_long_it_is_held(self, client: Client, citas: Citas) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))

        response = client.get(reverse("appointments:hold", args=[held.token]))

        assert response.status_code == 200
        body = text(response)
        assert "martes 1 de diciembre de 2026, 10:10" in body
        assert "Te guardamos este horario hasta las 09:07." in body
        assert 'data-seconds="420"' in response.content.decode()
        assert "Centro MAC Lima Norte Av. Ejemplo 123" in body

    def test_it_confirms_and_shows_the_code_the_qr_and_the_contact(
        self, client: Client, citas: Citas
    ) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))

        response = client.post(
            reverse("appointments:hold", args=[held.token]),
            contact_data(phone="987 654 321", language="qu"),
            follow=True,
        )

        booking = Booking.objects.get()
        assert (booking.status, booking.document_number, booking.email, booking.phone) == (
            "confirmed",
            DNI,
            EMAIL,
            "+51987654321",
        )
        assert booking.language == "qu"
        assert response.redirect_chain == [(reverse("appointments:confirmed"), 302)]
        body = text(response)
        assert f"Tu cita está confirmada Código de la cita {booking.code}" in body
        assert "martes 1 de diciembre de 2026, 10:10" in body
        assert (
            "Te enviamos la confirmación al correo a***@example.pe y por SMS al celular "
            "terminado en 4321." in body
        )
        html = response.content.decode()
        assert f'aria-label="Código QR de la cita {booking.code}"' in html
        assert "<svg" in html
        assert 'href="/citas/gestionar/cita.ics"' in html

    def test_it_keeps_the_hold_when_the_form_is_incomplete(
        self, client: Client, citas: Citas
    ) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))

        response = client.post(
            reverse("appointments:hold", args=[held.token]),
            contact_data(email="", document_number="1234"),
        )

        assert response.status_code == 422
        body = text(response)
        assert "Número de documento: El DNI tiene 8 dígitos." in body
        assert (
            "Correo electrónico: Indica un correo o un celular para enviarte la confirmación."
            in body
        )
        held.refresh_from_db()
        assert (held.status, held.document_number, held.email) == ("held", "", "")

    def test_it_shows_an_action_refusal_on_the_field(self, client: Client, citas: Citas) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))

        response = client.post(
            reverse("appointments:hold", args=[held.token]), contact_data(phone="12")
        )

        assert response.status_code == 422
        assert "Celular: El celular no es válido." in text(response)
        held.refresh_from_db()
        assert held.status == "held"

    def test_it_says_from_when_to_check_in(self, client: Client, citas: Citas) -> None:
        book_via_pages(client, citas, slot_at(citas, FIRST_FREE))  # 10:10

        response = client.get(reverse("appointments:confirmed"))

        assert (
            "Lleva tu documento de identidad. Registra tu llegada en el kiosko desde las 09:40."
            in text(response)
        )

    def test_it_says_check_in_opens_with_the_center_for_the_first_slot(
        self, client: Client, citas: Citas
    ) -> None:
        # the center opens at 08:30: 30 minutes before the first slot it is closed
        book_via_pages(client, citas, slot_at(citas, lima(DAY + dt.timedelta(days=1), 8, 30)))

        response = client.get(reverse("appointments:confirmed"))

        assert "Registra tu llegada en el kiosko desde las 08:30." in text(response)

    def test_it_refuses_a_landline_on_the_field(self, client: Client, citas: Citas) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))

        response = client.post(
            reverse("appointments:hold", args=[held.token]), contact_data(phone="014567890")
        )

        assert response.status_code == 422
        assert (
            "Celular: Ese número no es de celular. Escribe un celular, por ejemplo 987 654 321."
            in text(response)
        )
        held.refresh_from_db()
        assert (held.status, held.document_number, held.phone) == ("held", "", "")
        assert Booking.objects.filter(status="confirmed").count() == 0

    def test_it_says_an_expired_hold_can_no_longer_be_confirmed(
        self, client: Client, citas: Citas, morning: time_machine.Traveller
    ) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))
        morning.shift(dt.timedelta(minutes=8))

        shown = client.get(reverse("appointments:hold", args=[held.token]))
        posted = client.post(reverse("appointments:hold", args=[held.token]), contact_data())

        for response in (shown, posted):
            assert response.status_code == 410
            assert "La reserva temporal venció" in text(response)
            assert (
                f'href="/citas/?servicio={citas.service.pk}&amp;centro=lima-norte'
                '&amp;dia=2026-12-01"' in response.content.decode()
            )
        held.refresh_from_db()
        assert (held.status, held.document_number) == ("held", "")

    def test_back_after_giving_a_hold_back_says_the_citizen_freed_it(
        self, client: Client, citas: Citas
    ) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))
        url = reverse("appointments:hold", args=[held.token])

        released = client.post(reverse("appointments:release", args=[held.token]))
        back = client.get(url)
        other_browser = Client().get(url)

        assert released.status_code == 302
        assert back.status_code == 410
        assert "Dejaste este horario libre para otras personas." in text(back)
        assert "Pasó el tiempo" not in text(back)
        # Another browser was not there: it says only that the hold is over.
        assert other_browser.status_code == 410
        assert "La reserva temporal venció" in text(other_browser)
        held.refresh_from_db()
        assert held.status == "expired"

    def test_it_answers_404_for_an_unknown_hold(self, client: Client, citas: Citas) -> None:
        response = client.get(reverse("appointments:hold", args=["no-such-token"]))

        assert response.status_code == 404
        assert "No encontramos esa reserva" in text(response)

    def test_it_shows_a_confirmed_booking_only_to_the_browser_that_confirmed_it(
        self, client: Client, citas: Citas
    ) -> None:
        booking = book_via_pages(client, citas, slot_at(citas, FIRST_FREE))
        url = reverse("appointments:hold", args=[booking.token])

        own = client.get(url)
        other = Client().get(url)

        assert own.status_code == 302
        assert own["Location"] == reverse("appointments:confirmed")
        assert other.status_code == 409
        assert booking.code not in other.content.decode()
        assert "10:10" not in text(other)

    def test_it_serves_the_ics_to_the_browser_that_confirmed(
        self, client: Client, citas: Citas
    ) -> None:
        booking = book_via_pages(client, citas, slot_at(citas, FIRST_FREE))

        response = client.get(reverse("appointments:ics"))
        stranger = Client().get(reverse("appointments:ics"))

        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert response["Content-Disposition"] == f'attachment; filename="cita-{booking.code}.ics"'
        body = response.content.decode()
        assert f"UID:cita-{booking.code}@" in body
        assert "DTSTART;TZID=America/Lima:20261201T101000" in body
        assert stranger.status_code == 302
        assert stranger["Location"] == reverse("appointments:manage")

    def test_it_forgets_the_booking_after_a_while(
        self, client: Client, citas: Citas, morning: time_machine.Traveller
    ) -> None:
        book_via_pages(client, citas, slot_at(citas, FIRST_FREE))
        morning.shift(dt.timedelta(minutes=61))

        response = client.get(reverse("appointments:confirmed"))

        assert response.status_code == 302
        assert response["Location"] == reverse("appointments:manage")
