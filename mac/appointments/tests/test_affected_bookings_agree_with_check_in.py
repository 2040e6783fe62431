"""What `queries.affected_bookings` lists is what check-in refuses: after
each kind of change in the back office, the listed booking's check-in on its
day, just before its time, is refused with the listed reason as its code
(nothing changes), and a booking left off the list checks in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from mac.appointments import actions, queries
from mac.appointments.errors import Conflict
from mac.appointments.models import Booking

from .affected import DAY, NEXT_DAY, BackOffice, World, at, back_office, book, document_of, world

pytestmark = pytest.mark.django_db
__all__ = ["back_office", "world"]

Change = Callable[[World, BackOffice], None]
# (what the back office changes, the reason, the booking it affects, another
# it leaves alone, or None when it affects every booking of the center)
SCENARIOS: dict[str, tuple[Change, str, dict[str, Any], dict[str, Any] | None]] = {
    "a day the center closes": (
        lambda w, office: office.close(w.center, DAY),
        "center_closed",
        {"service": "dni", "start": at(DAY, 10, 10)},
        {"service": "dni", "start": at(NEXT_DAY, 10, 10)},
    ),
    "hours that leave the slot out": (
        lambda w, office: office.shorten(w.center, DAY, dt.time(8, 30), dt.time(10, 0)),
        "center_closed",
        {"service": "dni", "start": at(DAY, 10, 10)},
        {"service": "dni", "start": at(DAY, 9, 10)},
    ),
    "a declared non-working day": (
        lambda w, office: office.declare(DAY),
        "center_closed",
        {"service": "dni", "start": at(DAY, 10, 10)},
        {"service": "dni", "start": at(NEXT_DAY, 10, 10)},
    ),
    "a weekday left without hours": (
        lambda w, office: office.drop_weekday(w.center, DAY.weekday()),
        "center_closed",
        {"service": "dni", "start": at(DAY, 10, 10)},
        {"service": "dni", "start": at(NEXT_DAY, 10, 10)},
    ),
    "a center that stops operating": (
        lambda w, office: office.stop_operating(w.center),
        "center_closed",
        {"service": "dni", "start": at(DAY, 10, 10)},
        None,
    ),
    "a service no longer offered": (
        lambda w, office: office.withdraw_offer(w.center, w.other),
        "service_not_offered",
        {"service": "other", "start": at(DAY, 10, 10)},
        {"service": "dni", "start": at(DAY, 10, 10)},
    ),
    "a service no active counter has": (
        lambda w, office: office.disable(w.other_counter),
        "service_unstaffed",
        {"service": "other", "start": at(DAY, 10, 10)},
        {"service": "dni", "start": at(DAY, 10, 10)},
    ),
    "a language no active counter serves the service in": (
        lambda w, office: office.speak_only_spanish(w.quechua_counter),
        "language_unavailable",
        {"service": "dni", "start": at(DAY, 10, 10), "attention": "qu"},
        {"service": "dni", "start": at(DAY, 10, 30), "attention": "es"},
    ),
}


def make(world: World, spec: dict[str, Any]) -> Booking:
    service = getattr(world, spec["service"])
    return book(service, spec["start"], attention=spec.get("attention", "es"))


def check_in(booking: Booking) -> Booking:
    return actions.check_in(booking.code, **document_of(booking), source="kiosk")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_check_in_refuses_the_listed_booking_with_its_reason_and_accepts_another(
    scenario, world, back_office, clock
):
    # given
    change, reason, affected_spec, spared_spec = SCENARIOS[scenario]
    affected = make(world, affected_spec)
    spared = make(world, spared_spec) if spared_spec else None

    # when
    change(world, back_office)

    # then: listed with its reason, the other one not
    assert [(a.booking.pk, a.reason) for a in queries.affected_bookings()] == [
        (affected.pk, reason)
    ]
    clock.move_to(affected.slot.start - dt.timedelta(minutes=5))
    with pytest.raises(Conflict) as refused:
        check_in(affected)
    assert (refused.value.status, refused.value.code) == (409, reason)
    affected.refresh_from_db()
    assert (affected.status, affected.ticket_id) == ("confirmed", None)

    if spared is not None:
        clock.move_to(spared.slot.start - dt.timedelta(minutes=5))
        checked = check_in(spared)
        assert checked.ticket is not None
        assert (checked.status, checked.ticket.service_id) == ("checked_in", spared.service_id)
