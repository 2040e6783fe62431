"""Rescheduling keeps the booking's language of attention, so it is refused
when no active counter of the center serves the service in it any more
(409 `language_unavailable`, as booking in it is): the move would only give
the citizen another slot that check-in refuses. The refusal is worded for
the citizen who holds the booking (who cannot choose another language when
moving it), and nothing changes; a booking in Spanish still moves."""

from __future__ import annotations

import pytest
from django.test import Client

from mac.appointments import actions
from mac.appointments.errors import Conflict
from mac.appointments.models import Booking, Slot
from mac.core.models import AuditLog, Event
from mac.notify.models import Message

from .affected import DAY, at, back_office, book, document_of, world

pytestmark = pytest.mark.django_db
__all__ = ["back_office", "world"]

FOR_HOLDER = (
    "Por ahora ningún módulo de Centro MAC Lima Norte atiende «Duplicado de DNI» en quechua:"
    " el centro no podrá atender tu cita. Puedes anularla y reservar otra (en castellano"
    " siempre te atienden, o en otro Centro MAC); si no, el centro la anulará y te avisará."
)


def written() -> tuple:
    return (
        list(Booking.objects.order_by("pk").values_list("slot_id", "sequence", "status")),
        list(Slot.objects.order_by("pk").values_list("taken", flat=True)),
        AuditLog.objects.count(),
        Event.objects.count(),
        Message.objects.count(),
    )


def free_slot(world) -> Slot:
    return next(s for s in actions.open_day(world.center, world.dni, DAY) if s.taken == 0)


def test_it_refuses_to_move_a_booking_in_a_language_nobody_serves_now(world, back_office):
    # given: a booking in Quechua; the only counter that spoke it no longer does
    booking = book(world.dni, at(DAY, 10, 10), attention="qu")
    back_office.speak_only_spanish(world.quechua_counter)
    target = free_slot(world)
    before = written()

    # when
    with pytest.raises(Conflict) as refused:
        actions.reschedule(booking.code, **document_of(booking), slot_id=target.pk)

    # then
    assert (refused.value.status, refused.value.code, refused.value.message) == (
        409,
        "language_unavailable",
        FOR_HOLDER,
    )
    assert written() == before


def test_the_api_refuses_it_with_the_same_code(world, back_office, client: Client):
    booking = book(world.dni, at(DAY, 10, 10), attention="qu")
    back_office.speak_only_spanish(world.quechua_counter)
    target = free_slot(world)
    before = written()

    response = client.post(
        f"/api/v1/appointments/{booking.code}/reschedule",
        {**document_of(booking), "slot": target.pk},
        content_type="application/json",
    )

    assert (response.status_code, response.json()) == (
        409,
        {"detail": FOR_HOLDER, "code": "language_unavailable"},
    )
    assert written() == before


def test_a_booking_in_spanish_still_moves(world, back_office):
    booking = book(world.dni, at(DAY, 10, 10), attention="es")
    back_office.speak_only_spanish(world.quechua_counter)
    target = free_slot(world)

    moved = actions.reschedule(booking.code, **document_of(booking), slot_id=target.pk)

    assert (moved.slot_id, moved.sequence, moved.attention_language) == (target.pk, 1, "es")


def test_a_booking_in_quechua_moves_while_a_counter_speaks_it(world):
    booking = book(world.dni, at(DAY, 10, 10), attention="qu")
    target = free_slot(world)

    moved = actions.reschedule(booking.code, **document_of(booking), slot_id=target.pk)

    assert (moved.slot_id, moved.attention_language) == (target.pk, "qu")
