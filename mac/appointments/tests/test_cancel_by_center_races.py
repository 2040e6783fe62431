"""A booking cancelled by the center and by its citizen at the same moment,
with real concurrent connections on PostgreSQL: it is cancelled once, its
place given back once, and the citizen gets one notice (the winner's). Both
actions lock the slot, then the booking, and check its status under the
lock. SQLite has one writer at a time: no race to prove there."""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from typing import Any

import pytest
from django.db import connection

from mac.appointments import actions
from mac.appointments.actions import managing
from mac.appointments.models import Booking, Slot
from mac.core.models import AuditLog
from mac.notify.models import Message

from .affected import DAY, World, back_office, document_of, world
from .test_races import interleave, places_by_rows, race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has a single writer"
    ),
]
__all__ = ["back_office", "world"]
NOW = dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.UTC)
CANCEL_KINDS = ("appointment_cancelled", "appointment_cancelled_by_center")


def affected_bookings(world: World, back_office: Any, n: int) -> list[Booking]:
    """`n` confirmed bookings of the day (one per slot, email only), whose
    service then lost its only counter."""
    slots = actions.open_day(world.center, world.other, DAY, now=NOW)[:n]
    bookings = [
        actions.book(
            slot.pk,
            world.other,
            document_type="dni",
            document_number=f"{50_000_000 + i:08d}",
            email=f"p{i}@example.pe",
            now=NOW,
        )
        for i, slot in enumerate(slots)
    ]
    back_office.disable(world.other_counter)
    return bookings


def by_center(booking: Booking) -> str:
    actions.cancel_by_center(booking.code, by=None, now=NOW)
    return "center"


def by_citizen(booking: Booking) -> str:
    actions.cancel(booking.code, **document_of(booking), now=NOW)
    return "citizen"


def notices(booking: Booking) -> list[str]:
    return list(
        Message.objects.filter(
            ref=f"appointments.booking:{booking.pk}", kind__in=CANCEL_KINDS
        ).values_list("kind", flat=True)
    )


def cancellations(booking: Booking) -> int:
    return AuditLog.objects.filter(
        object_id=str(booking.pk),
        action__in=["appointments.cancel", "appointments.cancel_by_center"],
    ).count()


def test_each_booking_cancelled_by_both_at_once_is_cancelled_once_with_one_notice(
    world, back_office
):
    bookings = affected_bookings(world, back_office, 12)

    def work(i: int) -> str:
        booking = bookings[i // 2]
        return by_center(booking) if i % 2 else by_citizen(booking)

    results = race(24, work)

    for k, booking in enumerate(bookings):
        pair = results[2 * k : 2 * k + 2]
        assert sorted(pair) in (["cancelled", "citizen"], ["cancelled", "center"]), pair
        booking.refresh_from_db()
        winner = "center" if "center" in pair else "citizen"
        assert (booking.status, booking.sequence) == ("cancelled", 1)
        assert booking.cancelled_by_center == ("service_unstaffed" if winner == "center" else "")
        assert notices(booking) == [
            "appointment_cancelled_by_center" if winner == "center" else "appointment_cancelled"
        ]
        assert cancellations(booking) == 1
    assert Tally(results)["cancelled"] == 12
    assert set(Slot.objects.filter(service=world.other).values_list("taken", flat=True)) == {0}
    assert places_by_rows() == dict(Slot.objects.values_list("pk", "taken"))


@pytest.mark.parametrize(
    ("first", "second", "winner"),
    [(by_center, by_citizen, "center"), (by_citizen, by_center, "citizen")],
    ids=["the center first", "the citizen first"],
)
def test_the_one_who_waited_for_the_slot_finds_the_booking_cancelled(
    world, back_office, monkeypatch, first, second, winner
):
    """The first holds the slot's lock (paused right after taking it) while
    the second asks for it; the second then finds the booking cancelled."""
    (booking,) = affected_bookings(world, back_office, 1)

    outcomes = interleave(
        monkeypatch, managing, "_lock_slot", lambda: first(booking), lambda: second(booking)
    )

    assert outcomes == (winner, "cancelled")
    booking.refresh_from_db()
    assert (booking.status, booking.sequence) == ("cancelled", 1)
    assert len(notices(booking)) == 1
    assert cancellations(booking) == 1
    assert Slot.objects.get(pk=booking.slot_id).taken == 0
