"""A waitlist offer's page speaks the language the citizen chose for the
notices: the Quechua SMS's link opens a Quechua page, and the confirmation
that follows is Quechua too; a browser that chose a language keeps it."""

from __future__ import annotations

from html import unescape

import time_machine
from django.test import Client
from django.urls import reverse

from mac.appointments import actions
from mac.appointments.models import Booking
from mac.appointments.testing import DNI, OTHER_DNI
from mac.appointments.tests import pages
from mac.appointments.tests.pages import DAY, FIRST_FREE, Citas, book_directly, slot_at, text

morning = pages.morning
citas = pages.citas


def offered(citas: Citas, language: str) -> Booking:
    """DNI waits for the day with notices in `language`; the only slot taken
    that day is freed and offered to them."""
    taken = book_directly(citas, slot_at(citas, FIRST_FREE), number=OTHER_DNI, email="b@example.pe")
    actions.join_waitlist(
        citas.center,
        citas.service,
        DAY,
        document_type="dni",
        document_number=DNI,
        phone="987654321",
        language=language,
    )
    actions.cancel(taken.code, document_type="dni", document_number=OTHER_DNI)
    return Booking.objects.get(channel="waitlist")


class TestPagesOfferLanguage:
    def test_it_opens_a_quechua_offer_in_quechua(self, client: Client, citas: Citas) -> None:
        offer = offered(citas, "qu")

        response = client.get(reverse("appointments:hold", args=[offer.token]))

        assert response.status_code == 200
        assert '<html lang="qu">' in response.content.decode()
        assert "Qampaq huk hora ch'usaqyarqun" in unescape(text(response))
        assert response["Content-Language"] == "qu"
        assert response.cookies["django_language"].value == "qu"

    def test_it_confirms_a_quechua_offer_in_quechua(self, client: Client, citas: Citas) -> None:
        offer = offered(citas, "qu")
        client.get(reverse("appointments:hold", args=[offer.token]))

        response = client.post(
            reverse("appointments:hold", args=[offer.token]), {"document_number": DNI}, follow=True
        )

        assert response.redirect_chain == [(reverse("appointments:confirmed"), 302)]
        assert '<html lang="qu">' in response.content.decode()
        assert "Citayki takyachisqañam" in text(response)
        offer.refresh_from_db()
        assert offer.status == "confirmed"

    def test_it_tells_in_quechua_that_the_offer_lapsed(
        self, client: Client, citas: Citas, morning: time_machine.Traveller
    ) -> None:
        offer = offered(citas, "qu")
        assert offer.hold_until is not None
        morning.move_to(offer.hold_until)

        response = client.get(reverse("appointments:hold", args=[offer.token]))

        assert response.status_code == 410
        assert '<html lang="qu">' in response.content.decode()
        assert "Pachallapaq apartasqaq pachan tukukunñam" in text(response)

    def test_it_keeps_the_language_the_browser_chose(self, client: Client, citas: Citas) -> None:
        offer = offered(citas, "qu")
        client.post(reverse("set_language"), {"language": "es", "next": "/"})

        response = client.get(reverse("appointments:hold", args=[offer.token]))

        assert '<html lang="es">' in response.content.decode()
        assert "Se liberó un horario para ti" in text(response)
        assert "django_language" not in response.cookies

    def test_it_leaves_a_spanish_offer_in_spanish(self, client: Client, citas: Citas) -> None:
        offer = offered(citas, "es")

        response = client.get(reverse("appointments:hold", args=[offer.token]))

        assert '<html lang="es">' in response.content.decode()
        assert "Se liberó un horario para ti" in text(response)
