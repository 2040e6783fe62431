"""Managing a booking on the portal: code and document, then reschedule,
cancel (after a confirmation step) or download the .ics."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking, Slot
from mac.appointments.testing import DNI, OTHER_DNI, lima
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    FIRST_FREE,
    Citas,
    book_directly,
    manage_client,
    region,
    slot_at,
    text,
)

morning = pages.morning
citas = pages.citas


def lookup(client: Client, code: str, number: str = DNI) -> Any:
    return client.post(
        reverse("appointments:manage"),
        {"code": code, "document_type": "dni", "document_number": number},
    )


class TestManagePages:
    def test_it_prefills_the_code_from_the_link_in_the_notice(
        self, client: Client, citas: Citas
    ) -> None:
        response = client.get(reverse("appointments:manage"), {"codigo": "k7pm 2qxa"})

        assert response.status_code == 200
        assert 'value="K7PM2QXA"' in response.content.decode()

    def test_it_shows_the_booking_for_its_code_and_document(
        self, client: Client, citas: Citas
    ) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))

        response = lookup(client, booking.code.lower())
        page = client.get(reverse("appointments:manage_booking"))

        assert response.status_code == 302
        assert response["Location"] == reverse("appointments:manage_booking")
        body = text(page)
        assert f"Tu cita {booking.code}" in body
        assert "martes 1 de diciembre de 2026, 10:10" in body
        assert "Estado Confirmada" in body
        assert "DNI ****7410" in body
        assert "Cambiar el día o la hora" in body and "Anular mi cita" in body

    def test_it_reveals_nothing_for_a_wrong_document(self, client: Client, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))

        response = lookup(client, booking.code, OTHER_DNI)
        then = client.get(reverse("appointments:manage_booking"))

        assert response.status_code == 404
        body = text(response)
        assert "No encontramos una cita con ese código y ese documento." in body
        assert "10:10" not in body and "Duplicado del DNI" not in body
        assert then.status_code == 302
        assert then["Location"] == reverse("appointments:manage")

    def test_it_answers_a_wrong_code_like_a_wrong_document(
        self, client: Client, citas: Citas
    ) -> None:
        book_directly(citas, slot_at(citas, FIRST_FREE))

        response = lookup(client, "ZZZZZZZZ")

        assert response.status_code == 404
        assert "No encontramos una cita con ese código y ese documento." in text(response)

    def test_it_validates_the_document_before_looking(self, client: Client, citas: Citas) -> None:
        response = lookup(client, "ABCDEFGH", "123")

        assert response.status_code == 422
        assert "Número de documento: El DNI tiene 8 dígitos." in text(response)

    def test_it_offers_other_slots_of_the_same_day_without_the_current_one(
        self, citas: Citas
    ) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)

        response = client.get(reverse("appointments:manage_booking"))

        body = response.content.decode()
        assert (
            region(response, "aviso") == "Hay 24 horarios libres el martes 1 de diciembre de 2026."
        )
        assert f'value="{booking.slot_id}"' not in body
        assert 'action="/citas/gestionar/reprogramar/"' in body
        assert "data-pow" not in body

    def test_it_swaps_another_day_with_htmx(self, citas: Citas) -> None:
        client = manage_client(book_directly(citas, slot_at(citas, FIRST_FREE)))

        response = client.get(
            reverse("appointments:slots"),
            {"dia": "2026-12-02", "modo": "reprogramar"},
            headers={"HX-Request": "true"},
        )

        assert (
            "Hay 30 horarios libres el miércoles 2 de diciembre de 2026."
            in response.content.decode()
        )
        assert response["HX-Push-Url"] == "/citas/gestionar/cita/?dia=2026-12-02"

    def test_it_sends_htmx_back_to_the_form_when_the_session_is_gone(
        self, client: Client, citas: Citas
    ) -> None:
        response = client.get(
            reverse("appointments:slots"),
            {"dia": "2026-12-02", "modo": "reprogramar"},
            headers={"HX-Request": "true"},
        )

        assert response.status_code == 204
        assert response["HX-Redirect"] == reverse("appointments:manage")

    def test_it_reschedules_to_the_chosen_slot(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)
        new = slot_at(citas, lima(DAY.replace(day=2), 11, 10))

        response = client.post(reverse("appointments:reschedule"), {"horario": new.pk}, follow=True)

        booking.refresh_from_db()
        assert (booking.slot_id, booking.sequence, booking.status) == (new.pk, 1, "confirmed")
        assert slot_at(citas, FIRST_FREE).taken == 0
        assert response.redirect_chain == [(reverse("appointments:manage_booking"), 302)]
        assert (
            "Listo: tu cita ahora es el miércoles 2 de diciembre de 2026, 11:10. "
            "Te enviamos la nueva confirmación." in text(response)
        )

    def test_it_refuses_a_crafted_slot_id_and_keeps_the_booking(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)

        for crafted in ("²", "9" * 5000, "9" * 19):
            response = client.post(reverse("appointments:reschedule"), {"horario": crafted})

            assert response.status_code == 422, crafted
            assert "Elige un horario de la lista." in text(response)
        booking.refresh_from_db()
        assert (booking.slot_id, booking.sequence, booking.status) == (
            slot_at(citas, FIRST_FREE).pk,
            0,
            "confirmed",
        )

    def test_it_refuses_a_full_slot_and_keeps_the_booking(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        full = slot_at(citas, lima(DAY, 11, 10))
        book_directly(citas, full, number=OTHER_DNI, email="otra@example.pe")
        client = manage_client(booking)

        response = client.post(reverse("appointments:reschedule"), {"horario": full.pk})

        assert response.status_code == 409
        assert region(response, "aviso") == (
            "Ese horario ya no tiene cupos. Elige otro o inscríbete en la lista de espera."
        )
        booking.refresh_from_db()
        assert (booking.slot_id, booking.sequence) == (slot_at(citas, FIRST_FREE).pk, 0)

    def test_it_reschedules_only_for_the_browser_that_proved_the_document(
        self, client: Client, citas: Citas
    ) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        new = slot_at(citas, lima(DAY, 11, 10))

        response = client.post(reverse("appointments:reschedule"), {"horario": new.pk})

        assert response.status_code == 302
        assert response["Location"] == reverse("appointments:manage")
        booking.refresh_from_db()
        assert booking.slot_id != new.pk

    def test_it_explains_that_the_agenda_closed_since(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        citas.agenda.active = False
        citas.agenda.save()
        client = manage_client(booking)

        response = client.get(reverse("appointments:manage_booking"))

        assert response.status_code == 200
        assert region(response, "aviso") == (
            "Centro MAC Lima Norte no da citas para «Duplicado del DNI»."
        )
        assert 'name="horario"' not in response.content.decode()

    def test_it_asks_before_cancelling(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)

        response = client.get(reverse("appointments:cancel"))

        assert response.status_code == 200
        assert "¿Seguro que quieres anular tu cita?" in text(response)
        booking.refresh_from_db()
        assert booking.status == "confirmed"

    def test_it_cancels_and_frees_the_slot(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)

        response = client.post(reverse("appointments:cancel"), follow=True)

        booking.refresh_from_db()
        assert booking.status == "cancelled"
        assert Slot.objects.get(pk=booking.slot_id).taken == 0
        body = text(response)
        assert "Tu cita fue anulada. Te enviamos un aviso." in body
        assert "Estado Anulada" in body
        assert "Cambiar el día o la hora" not in body and "Anular mi cita" not in body

    def test_it_serves_a_cancelled_booking_as_a_cancelled_event(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)
        client.post(reverse("appointments:cancel"))

        body = client.get(reverse("appointments:ics")).content.decode()

        assert "METHOD:CANCEL" in body and "STATUS:CANCELLED" in body

    def test_it_forgets_the_booking_when_leaving(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)

        client.post(reverse("appointments:forget"))
        response = client.get(reverse("appointments:manage_booking"))

        assert response.status_code == 302
        assert Booking.objects.get().status == "confirmed"
