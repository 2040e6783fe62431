"""Back on the cancel page after cancelling (the back button), or pressing
its button twice: the citizen sees the booking as cancelled, not the question
"¿Seguro que quieres anular tu cita?" again with a button that can only fail."""

from __future__ import annotations

from django.urls import reverse

from mac.appointments.models import Booking
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    FIRST_FREE,
    Citas,
    book_directly,
    manage_client,
    slot_at,
    text,
)

morning = pages.morning
citas = pages.citas


class TestPagesCancelAgain:
    def test_it_shows_the_cancelled_booking_instead_of_asking_again(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)
        client.post(reverse("appointments:cancel"))

        response = client.get(reverse("appointments:cancel"), follow=True)

        assert response.redirect_chain == [(reverse("appointments:manage_booking"), 302)]
        body = text(response)
        assert "Estado Anulada" in body
        assert "¿Seguro que quieres anular tu cita?" not in body
        assert "Sí, anular mi cita" not in body

    def test_it_says_it_was_cancelled_when_the_button_is_pressed_again(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)
        client.post(reverse("appointments:cancel"))

        response = client.post(reverse("appointments:cancel"), follow=True)

        assert response.redirect_chain == [(reverse("appointments:manage_booking"), 302)]
        body = text(response)
        assert "Esta cita fue anulada." in body
        assert "Estado Anulada" in body
        assert "¿Seguro que quieres anular tu cita?" not in body
        booking.refresh_from_db()
        assert (booking.status, booking.sequence) == ("cancelled", 1)

    def test_it_still_asks_before_cancelling_a_confirmed_booking(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)

        response = client.get(reverse("appointments:cancel"))

        assert response.status_code == 200
        assert "¿Seguro que quieres anular tu cita?" in text(response)
        assert Booking.objects.get(pk=booking.pk).status == "confirmed"
