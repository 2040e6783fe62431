"""The waitlist on the portal: joining a full day, and confirming the place
it offers when one is freed, on the same hold page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from mac.appointments import actions
from mac.appointments.models import Booking, WaitlistEntry
from mac.appointments.testing import DNI, OTHER_DNI
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    FIRST_FREE,
    HOLIDAY,
    Citas,
    book_directly,
    contact_data,
    slot_at,
    text,
)

morning = pages.morning
citas = pages.citas


def waitlist_data(citas: Citas, day: str = "2026-12-01", **overrides: str) -> dict[str, str]:
    return {
        "servicio": str(citas.service.pk),
        "centro": "lima-norte",
        "dia": day,
        **contact_data(**overrides),
    }


def offered(citas: Citas) -> Booking:
    """Someone takes the only slot, DNI waits for that day, the slot is freed."""
    taken = book_directly(citas, slot_at(citas, FIRST_FREE), number=OTHER_DNI, email="b@example.pe")
    actions.join_waitlist(
        citas.center,
        citas.service,
        DAY,
        document_type="dni",
        document_number=DNI,
        email="ana@example.pe",
        phone="987654321",
    )
    actions.cancel(taken.code, document_type="dni", document_number=OTHER_DNI)
    return Booking.objects.get(channel="waitlist")


class TestWaitlistPages:
    def test_it_shows_the_form_for_the_chosen_day(self, client: Client, citas: Citas) -> None:
        response = client.get(reverse("appointments:waitlist"), waitlist_data(citas))

        assert response.status_code == 200
        assert (
            "Para «Duplicado del DNI» en Centro MAC Lima Norte, el martes 1 de diciembre de 2026."
            in text(response)
        )

    def test_it_joins_the_waitlist(self, client: Client, citas: Citas) -> None:
        posted = client.post(reverse("appointments:waitlist"), waitlist_data(citas))
        response = client.get(posted["Location"])
        reloaded = client.get(posted["Location"])

        # Post/Redirect/Get: a reload shows the same page and sends nothing.
        assert posted.status_code == 302
        assert posted["Location"] == (
            f"/citas/lista-de-espera/?servicio={citas.service.pk}&centro=lima-norte&dia=2026-12-01"
        )
        assert response.status_code == reloaded.status_code == 200
        assert "Estás en la lista de espera" in text(response)
        assert text(reloaded) == text(response)
        assert WaitlistEntry.objects.count() == 1
        assert "Tendrás hasta 2 horas para confirmarlo" in text(response)
        entry = WaitlistEntry.objects.get()
        assert (entry.date, entry.document_number, entry.email, entry.status) == (
            DAY,
            DNI,
            "ana@example.pe",
            "waiting",
        )

    def test_it_refuses_joining_twice(self, client: Client, citas: Citas) -> None:
        client.post(reverse("appointments:waitlist"), waitlist_data(citas))

        response = client.post(reverse("appointments:waitlist"), waitlist_data(citas))

        assert response.status_code == 409
        assert "Ya estás en la lista de espera de ese día." in text(response)
        assert WaitlistEntry.objects.count() == 1

    def test_it_refuses_a_holiday(self, client: Client, citas: Citas) -> None:
        response = client.post(
            reverse("appointments:waitlist"), waitlist_data(citas, HOLIDAY.isoformat())
        )

        assert response.status_code == 422
        assert "es feriado (Inmaculada Concepción)" in text(response)
        assert not WaitlistEntry.objects.exists()

    def test_it_answers_404_without_a_day(self, client: Client, citas: Citas) -> None:
        data = waitlist_data(citas)
        del data["dia"]

        assert client.get(reverse("appointments:waitlist"), data).status_code == 404

    def test_it_shows_an_offer_with_the_data_masked_and_one_button(
        self, client: Client, citas: Citas
    ) -> None:
        offer = offered(citas)

        response = client.get(reverse("appointments:hold", args=[offer.token]))

        assert response.status_code == 200
        body = text(response)
        assert "Se liberó un horario para ti" in body
        assert "Documento DNI ****7410" in body
        assert "a***@example.pe" in body and "celular terminado en 4321" in body
        assert DNI not in response.content.decode()
        assert "ana@example.pe" not in response.content.decode()
        assert 'name="email"' not in response.content.decode()
        assert body.count("Confirmar") == 1

    def test_it_confirms_an_offer_with_the_document_typed_again(
        self, client: Client, citas: Citas
    ) -> None:
        offer = offered(citas)

        response = client.post(
            reverse("appointments:hold", args=[offer.token]), {"document_number": DNI}
        )

        assert response.status_code == 302
        offer.refresh_from_db()
        assert (offer.status, offer.document_number, offer.email, offer.phone) == (
            "confirmed",
            DNI,
            "ana@example.pe",
            "+51987654321",
        )
        assert WaitlistEntry.objects.get().status == "booked"

    def test_it_refuses_an_offer_with_another_document(self, client: Client, citas: Citas) -> None:
        offer = offered(citas)

        response = client.post(
            reverse("appointments:hold", args=[offer.token]), {"document_number": OTHER_DNI}
        )

        assert response.status_code == 422
        assert "Ese número no coincide con el documento inscrito en la lista de espera." in text(
            response
        )
        offer.refresh_from_db()
        assert offer.status == "held"
        assert WaitlistEntry.objects.get().status == "offered"
