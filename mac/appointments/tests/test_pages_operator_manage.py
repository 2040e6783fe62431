"""An operator of Aló MAC manages a caller's booking on the pages with its
code and document, as in the API: a reschedule past MAX_RESCHEDULES goes
through (staff are not limited) and the audit names the operator; the
citizen's own browser is still refused."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from mac.appointments import actions
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import DNI, lima
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    FIRST_FREE,
    Citas,
    book_directly,
    make_operator,
    region,
    signed_in,
    slot_at,
    text,
)
from mac.core.models import AuditLog
from mac.notify.models import Message

morning = pages.morning
citas = pages.citas
REFUSED = (
    "Esta cita ya se reprogramó 3 veces. Para cambiarla otra vez, anúlala y reserva una "
    "nueva, o llama a Aló MAC."
)


def rescheduled_three_times(citas: Citas) -> tuple[Booking, list[Slot]]:
    """A booking moved MAX_RESCHEDULES (3) times by its citizen, and the day's slots."""
    slots = [slot_at(citas, lima(DAY, 10, minute)) for minute in (10, 30, 50)]
    slots.append(slot_at(citas, lima(DAY, 11, 10)))
    booking = book_directly(citas, slots[0])
    for slot in (slots[1], slots[2], slots[1]):
        actions.reschedule(booking.code, document_type="dni", document_number=DNI, slot_id=slot.pk)
    booking.refresh_from_db()
    assert (booking.slot_id, booking.sequence) == (slots[1].pk, 3)
    return booking, slots


def looked_up(client: Client, booking: Booking) -> Client:
    response = client.post(
        reverse("appointments:manage"),
        {"code": booking.code, "document_type": "dni", "document_number": DNI},
    )
    assert response.status_code == 302
    return client


def taken() -> dict[int, int]:
    return dict(Slot.objects.values_list("pk", "taken"))


class TestOperatorManagesABooking:
    def test_an_operator_reschedules_past_the_limit(self, citas: Citas) -> None:
        # given
        booking, slots = rescheduled_three_times(citas)
        operator = make_operator()
        client = looked_up(signed_in(operator), booking)

        # when
        response = client.post(reverse("appointments:reschedule"), {"horario": slots[3].pk})

        # then
        assert response.status_code == 302
        booking.refresh_from_db()
        assert (booking.slot_id, booking.sequence, booking.status) == (
            slots[3].pk,
            4,
            "confirmed",
        )
        moves = AuditLog.objects.filter(action="appointments.reschedule").order_by("pk")
        assert [m.actor_id for m in moves] == [None, None, None, operator.pk]
        assert moves.last().data["start"] == "2026-12-01T16:10:00+00:00"  # type: ignore[union-attr]
        assert not AuditLog.objects.filter(action="appointments.limit_reached").exists()

    def test_the_citizen_is_refused_past_the_limit_and_nothing_changes(self, citas: Citas) -> None:
        # given
        booking, slots = rescheduled_three_times(citas)
        client = looked_up(Client(), booking)
        before = (taken(), Message.objects.count())

        # when
        response = client.post(reverse("appointments:reschedule"), {"horario": slots[3].pk})

        # then
        assert response.status_code == 409
        assert region(response, "aviso") == REFUSED
        booking.refresh_from_db()
        assert (booking.slot_id, booking.sequence) == (slots[1].pk, 3)
        assert (taken(), Message.objects.count()) == before
        assert AuditLog.objects.filter(action="appointments.reschedule").count() == 3
        hit = AuditLog.objects.get(action="appointments.limit_reached")
        assert (hit.actor_id, hit.data) == (None, {"limit": "reschedules", "booking": booking.pk})

    def test_another_role_is_refused_like_the_citizen(self, citas: Citas) -> None:
        booking, slots = rescheduled_three_times(citas)
        client = looked_up(signed_in(citas.personas.bob), booking)

        response = client.post(reverse("appointments:reschedule"), {"horario": slots[3].pk})

        assert response.status_code == 409
        booking.refresh_from_db()
        assert (booking.slot_id, booking.sequence) == (slots[1].pk, 3)

    def test_an_operator_cancels_and_is_audited(self, citas: Citas) -> None:
        # given
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        operator = make_operator()
        client = looked_up(signed_in(operator), booking)

        # when
        response = client.post(reverse("appointments:cancel"))

        # then
        assert response.status_code == 302
        booking.refresh_from_db()
        assert booking.status == "cancelled"
        cancelled = AuditLog.objects.get(action="appointments.cancel")
        assert (cancelled.actor_id, cancelled.object_id) == (operator.pk, str(booking.pk))
        page = client.get(reverse("appointments:manage_booking"))
        assert "Tu cita fue anulada. Te enviamos un aviso." in text(page)

    def test_an_operator_still_needs_the_code_and_the_document(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = signed_in(make_operator())

        wrong = client.post(
            reverse("appointments:manage"),
            {"code": booking.code, "document_type": "dni", "document_number": "40506070"},
        )
        blind: Any = client.post(reverse("appointments:cancel"))

        assert wrong.status_code == 404
        assert "No encontramos una cita con ese código y ese documento." in text(wrong)
        assert (blind.status_code, blind["Location"]) == (302, reverse("appointments:manage"))
        booking.refresh_from_db()
        assert booking.status == "confirmed"
        assert not AuditLog.objects.filter(action="appointments.cancel").exists()
