"""The booking pages ask for the language of attention apart from the
language of the notices, offering only those in which an active counter of
the center serves the service (Spanish always), the portal's language
preselected where it is served. The citizen's, the operator's and the
waitlist's forms alike; a refused language leaves the hold as it was."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from mac.appointments import actions
from mac.appointments.models import Booking, WaitlistEntry
from mac.appointments.testing import DNI, OTHER_DNI
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    FIRST_FREE,
    Citas,
    book_directly,
    contact_data,
    hold_via_page,
    make_operator,
    signed_in,
    slot_at,
    take_data,
    text,
)
from mac.queueing import cache
from mac.queueing.models import Counter
from mac.queueing.testing import make_counter

morning = pages.morning
citas = pages.citas


def offered(response) -> list[tuple[str, str, bool]]:
    """(value, label, checked) of each "Lengua de atención" radio button."""
    body = response.content.decode()
    return [
        (value, label, bool(checked))
        for value, checked, label in re.findall(
            r'<input type="radio" name="attention_language" value="([^"]+)"[^>]*?( checked)?>'
            r" <span>([^<]+)</span>",
            body,
        )
    ]


def speak_quechua(citas: Citas) -> None:
    """Lima Norte's DNI counter speaks Quechua too (Arequipa's does not)."""
    Counter.objects.filter(center=citas.center, services=citas.service).update(
        languages=["es", "qu"]
    )
    cache.clear()  # as the back office's save does


@pytest.fixture
def quechua(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "qu", "next": "/citas/"})
    return client


class TestHoldPage:
    def test_it_offers_only_spanish_where_no_counter_speaks_another(
        self, client: Client, citas: Citas
    ) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))

        response = client.get(reverse("appointments:hold", args=[held.token]))

        assert "Lengua de atención" in text(response)
        assert (
            "En qué lengua te atenderán en el centro. Solo aparecen las lenguas en que este centro"
            " atiende este trámite." in text(response)
        )
        assert offered(response) == [("es", "Castellano", True)]

    def test_it_offers_the_languages_the_centers_counters_serve_it_in(
        self, client: Client, citas: Citas
    ) -> None:
        speak_quechua(citas)
        make_counter(citas.center, citas.personas.reniec, 12, [citas.service], languages=["lsp"])
        # a counter of another service, or a disabled one, adds nothing
        make_counter(citas.center, citas.personas.sunat, 13, [citas.walk_in], languages=["ay"])
        Counter.objects.filter(number=12).update(active=False)
        cache.clear()
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))

        response = client.get(reverse("appointments:hold", args=[held.token]))

        assert offered(response) == [("es", "Castellano", True), ("qu", "Quechua", False)]

    def test_it_preselects_the_portals_language_where_it_is_served(
        self, quechua: Client, citas: Citas
    ) -> None:
        speak_quechua(citas)
        here = hold_via_page(quechua, citas, slot_at(citas, FIRST_FREE))
        there = hold_via_page(quechua, citas, slot_at(citas, FIRST_FREE, center=citas.other))

        served = quechua.get(reverse("appointments:hold", args=[here.token]))
        unserved = quechua.get(reverse("appointments:hold", args=[there.token]))

        assert [(v, c) for v, _label, c in offered(served)] == [("es", False), ("qu", True)]
        assert [(v, c) for v, _label, c in offered(unserved)] == [("es", True)]
        assert "Atiendenapaq simi" in text(served)
        assert (
            "Ima simipi centropi atiendesunkiku. Kay centro kay trámiteta atiendenan simikunallam"
            " rikhurin." in text(served)
        )

    def test_it_books_the_language_chosen_apart_from_the_notices(
        self, client: Client, citas: Citas
    ) -> None:
        speak_quechua(citas)
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))

        response = client.post(
            reverse("appointments:hold", args=[held.token]),
            contact_data(language="es", attention_language="qu"),
        )

        assert response.status_code == 302
        held.refresh_from_db()
        assert (held.status, held.language, held.attention_language) == ("confirmed", "es", "qu")
        confirmed = client.get(reverse("appointments:confirmed"))
        assert "Lengua de atención Quechua" in text(confirmed)

    def test_it_refuses_a_language_not_offered_and_keeps_the_hold(
        self, client: Client, citas: Citas
    ) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))

        response = client.post(
            reverse("appointments:hold", args=[held.token]),
            contact_data(language="qu", attention_language="qu"),
        )

        assert response.status_code == 422
        assert "El centro ya no atiende este trámite en esa lengua. Elige una de la lista." in text(
            response
        )
        held.refresh_from_db()
        assert (held.status, held.document_number, held.attention_language) == ("held", "", "es")

    def test_the_notices_language_alone_does_not_choose_it(
        self, quechua: Client, citas: Citas
    ) -> None:
        # a Quechua page at a center where nobody serves the service in Quechua
        held = hold_via_page(quechua, citas, slot_at(citas, FIRST_FREE))

        response = quechua.post(
            reverse("appointments:hold", args=[held.token]),
            contact_data(language="qu", attention_language="es"),
        )

        assert response.status_code == 302
        held.refresh_from_db()
        assert (held.status, held.language, held.attention_language) == ("confirmed", "qu", "es")


class TestOperator:
    def test_an_operator_books_the_callers_language(self, citas: Citas) -> None:
        speak_quechua(citas)
        browser = signed_in(make_operator())
        taken = browser.post(
            reverse("appointments:take"), take_data(citas, slot_at(citas, FIRST_FREE))
        )
        token = taken["Location"].rstrip("/").rsplit("/", 1)[1]

        page = browser.get(reverse("appointments:hold", args=[token]))
        response = browser.post(
            reverse("appointments:hold", args=[token]),
            contact_data(attention_language="qu"),
        )

        assert [v for v, _label, _c in offered(page)] == ["es", "qu"]
        assert response.status_code == 302
        booking = Booking.objects.get(token=token)
        assert (booking.channel, booking.attention_language) == ("phone", "qu")


class TestWaitlist:
    def place(self, citas: Citas) -> dict[str, str]:
        return {"servicio": str(citas.service.pk), "centro": "lima-norte", "dia": "2026-12-01"}

    def test_it_asks_and_keeps_it_for_the_offer(self, client: Client, citas: Citas) -> None:
        # given: the day's only free slot is taken; Quechua is served here
        speak_quechua(citas)
        taken = book_directly(
            citas, slot_at(citas, FIRST_FREE), number=OTHER_DNI, email="b@example.pe"
        )
        url = reverse("appointments:waitlist")

        page = client.get(url, self.place(citas))
        joined = client.post(url, {**self.place(citas), **contact_data(attention_language="qu")})
        actions.cancel(taken.code, document_type="dni", document_number=OTHER_DNI)

        # then: the form offered it, the entry and its offer keep it
        assert [v for v, _label, _c in offered(page)] == ["es", "qu"]
        assert joined.status_code == 302
        assert WaitlistEntry.objects.get().attention_language == "qu"
        offer = Booking.objects.get(channel="waitlist")
        offer_page = client.get(reverse("appointments:hold", args=[offer.token]))
        assert [(v, c) for v, _label, c in offered(offer_page)] == [("es", False), ("qu", True)]
        confirmed = client.post(
            reverse("appointments:hold", args=[offer.token]),
            {"document_number": DNI, "attention_language": "qu"},
        )
        assert confirmed.status_code == 302
        offer.refresh_from_db()
        assert (offer.status, offer.attention_language) == ("confirmed", "qu")

    def test_it_refuses_a_language_not_offered(self, client: Client, citas: Citas) -> None:
        response = client.post(
            reverse("appointments:waitlist"),
            {**self.place(citas), **contact_data(attention_language="ay")},
        )

        assert response.status_code == 422
        assert "El centro ya no atiende este trámite en esa lengua. Elige una de la lista." in text(
            response
        )
        assert WaitlistEntry.objects.count() == 0
