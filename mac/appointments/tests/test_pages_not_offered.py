"""The booking pages, and the portal's links to them, offer a service only
at the centers that offer it (an active catalog offer): elsewhere its
check-in would be refused (`service_not_offered`), though the center's
agenda for it is still active. A link to such a center says why it takes no
bookings; its slots cannot be held nor its waitlist joined, a hold made
before cannot be confirmed, and a booking made before cannot be moved: the
refusal tells the citizen who holds it that the center cannot attend it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.appointments.testing import lima
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    FIRST_FREE,
    Citas,
    book_directly,
    contact_data,
    day_url,
    hold_via_page,
    manage_client,
    slot_at,
    take_data,
    text,
)
from mac.catalog import actions as catalog
from mac.catalog.models import Offer
from mac.centers.models import Center
from mac.core.models import AuditLog, Event
from mac.notify.models import Message

morning = pages.morning
citas = pages.citas

AREQUIPA_REFUSAL = (
    "Por ahora Centro MAC Arequipa no ofrece «Duplicado del DNI»: no puedes reservar una cita"
    " de este trámite en ese centro. Elige otro Centro MAC."
)
AREQUIPA_FOR_HOLDER = (
    "Centro MAC Arequipa ya no ofrece «Duplicado del DNI»: el centro no podrá atender tu cita."
    " Puedes anularla y reservar otra en otro Centro MAC; si no, el centro la anulará y te"
    " avisará."
)


@pytest.fixture
def withdraw(citas: Citas, django_capture_on_commit_callbacks: Any) -> Callable[[Center], None]:
    """Withdraw the service's offer at a center in the back office (its event
    drops the queue's cached offers); the center's agenda stays active."""

    def withdraw_at(center: Center) -> None:
        offer = Offer.objects.get(center=center, service=citas.service)
        offer.active = False
        with django_capture_on_commit_callbacks(execute=True):
            catalog.save_offer(offer, by=None, changed_fields=["active"])

    return withdraw_at


def written() -> tuple:
    return (
        list(Slot.objects.order_by("pk").values_list("pk", "taken")),
        list(
            Booking.objects.order_by("pk").values_list(
                "status", "slot_id", "sequence", "document_number", "email", "hold_until"
            )
        ),
        WaitlistEntry.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
        Message.objects.count(),
    )


class TestPagesOfAServiceNotOffered:
    def test_it_lists_only_the_centers_that_offer_the_service(
        self, client: Client, citas: Citas, withdraw: Callable[[Center], None]
    ) -> None:
        withdraw(citas.other)

        response = client.get(reverse("appointments:start"), {"servicio": citas.service.pk})

        body = response.content.decode()
        assert f"?servicio={citas.service.pk}&amp;centro=lima-norte" in body
        assert "centro=arequipa" not in body
        assert "Centro MAC Arequipa" not in text(response)

    def test_it_lists_no_service_that_no_center_offers(
        self, client: Client, citas: Citas, withdraw: Callable[[Center], None]
    ) -> None:
        withdraw(citas.center)
        withdraw(citas.other)

        listed = client.get(reverse("appointments:start"))
        linked = client.get(reverse("appointments:start"), {"servicio": citas.service.pk})
        service_page = client.get(citas.service.get_absolute_url())

        assert "Duplicado del DNI" not in text(listed)
        assert "Ese trámite no tiene reserva de citas en línea." in text(linked)
        assert "Reservar cita" not in text(service_page)

    def test_a_link_to_the_day_of_a_center_that_no_longer_offers_it_says_why(
        self, client: Client, citas: Citas, withdraw: Callable[[Center], None]
    ) -> None:
        withdraw(citas.other)

        response = client.get(day_url(citas, center=citas.other))

        assert response.status_code == 200
        assert AREQUIPA_REFUSAL in text(response)
        assert "Elige el Centro MAC" in text(response)
        assert Slot.objects.filter(center=citas.other).count() == 0

    def test_it_holds_no_slot_listed_before(
        self, client: Client, citas: Citas, withdraw: Callable[[Center], None]
    ) -> None:
        slot = slot_at(citas, FIRST_FREE, center=citas.other)
        withdraw(citas.other)
        before = written()

        response = client.post(reverse("appointments:take"), take_data(citas, slot))

        assert response.status_code == 404
        assert written() == before

    def test_it_takes_nobody_onto_the_waitlist(
        self, client: Client, citas: Citas, withdraw: Callable[[Center], None]
    ) -> None:
        withdraw(citas.other)
        url = reverse("appointments:waitlist")
        place = {"servicio": str(citas.service.pk), "centro": "arequipa", "dia": "2026-12-02"}
        before = written()

        shown = client.get(url, place)
        posted = client.post(url, {**place, **contact_data(email="ana@example.pe", language="es")})

        assert (shown.status_code, posted.status_code) == (404, 404)
        assert written() == before

    def test_it_does_not_confirm_a_hold_made_before(
        self, client: Client, citas: Citas, withdraw: Callable[[Center], None]
    ) -> None:
        held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE, center=citas.other))
        withdraw(citas.other)
        before = written()

        response = client.post(reverse("appointments:hold", args=[held.token]), contact_data())

        assert response.status_code == 422
        assert AREQUIPA_REFUSAL in text(response)
        assert written() == before
        held.refresh_from_db()
        assert (held.status, held.document_number) == ("held", "")

    def test_it_does_not_move_a_booking_made_before(
        self, citas: Citas, withdraw: Callable[[Center], None]
    ) -> None:
        first = slot_at(citas, FIRST_FREE, center=citas.other)
        booking = book_directly(citas, first)
        other = slot_at(citas, lima(DAY, 11, 10), center=citas.other)
        browser = manage_client(booking)
        withdraw(citas.other)
        before = written()

        response = browser.post(reverse("appointments:reschedule"), {"horario": other.pk})

        assert response.status_code == 409
        assert AREQUIPA_FOR_HOLDER in text(response)
        assert written() == before
        booking.refresh_from_db()
        assert (booking.slot_id, booking.sequence, booking.status) == (first.pk, 0, "confirmed")

    def test_it_says_why_in_quechua_with_the_names_in_spanish(
        self, client: Client, citas: Citas, withdraw: Callable[[Center], None]
    ) -> None:
        withdraw(citas.other)
        client.post(reverse("set_language"), {"language": "qu", "next": "/citas/"})

        response = client.get(day_url(citas, center=citas.other))

        assert (
            'Kunanqa <span lang="es">Centro MAC Arequipa</span>-qa manam'
            ' «<span lang="es">Duplicado del DNI</span>» trámiteta qunchu: chay centropiqa'
            " manam kay trámitepaq citata apartayta atinkichu. Huk Centro MAC-ta akllay."
            in response.content.decode()
        )
