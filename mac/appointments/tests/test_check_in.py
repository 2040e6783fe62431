"""Check-in turns a booking into a ticket with appointment priority; too late
it becomes a walk-in ticket; refusals change nothing."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.errors import Conflict, NotFound
from mac.appointments.testing import DNI, OTHER_DNI
from mac.queueing.models import Ticket

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 1)  # today: the clock says 09:00


@pytest.fixture
def booking(setup):
    slot = next(s for s in actions.open_day(setup.center, setup.service, DAY) if s.start.hour == 15)
    # the first slot at 15:xx UTC is 10:10 in Lima
    return actions.book(
        slot.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )


def check_in(booking, number=DNI):
    return actions.check_in(
        booking.code, document_type="dni", document_number=number, source="kiosk"
    )


def test_inside_the_window_the_ticket_carries_the_appointment(booking, clock):
    clock.move_to(booking.slot.start - dt.timedelta(minutes=10))
    checked = check_in(booking)
    ticket = checked.ticket
    assert (checked.status, checked.late) == ("checked_in", False)
    assert (ticket.source, ticket.appointment_at, ticket.service_id) == (
        "appointment",
        booking.slot.start,
        booking.service_id,
    )
    assert (ticket.visit.document_type, ticket.visit.document_number) == ("dni", DNI)


def test_too_late_becomes_a_walk_in_ticket(booking, clock):
    clock.move_to(booking.slot.start + dt.timedelta(minutes=16))
    checked = check_in(booking)
    assert (checked.status, checked.late) == ("checked_in", True)
    assert (checked.ticket.source, checked.ticket.appointment_at) == ("kiosk", None)


@pytest.mark.parametrize(
    ("where", "source"),
    [("kiosk", "kiosk"), ("qr", "kiosk"), ("orientation", "desk"), ("api", "api")],
)
def test_too_late_the_walk_in_ticket_comes_from_where_the_citizen_checked_in(
    booking, clock, where, source
):
    clock.move_to(booking.slot.start + dt.timedelta(minutes=16))
    checked = actions.check_in(booking.code, document_type="dni", document_number=DNI, source=where)
    ticket = checked.ticket
    assert ticket is not None
    assert (checked.status, checked.late) == ("checked_in", True)
    assert (ticket.source, ticket.appointment_at) == (source, None)


@pytest.fixture
def first_of_the_day(setup):
    """The 08:30 slot of tomorrow: the center opens at 08:30."""
    slot = actions.open_day(setup.center, setup.service, dt.date(2026, 12, 2))[0]
    assert slot.start == dt.datetime(2026, 12, 2, 13, 30, tzinfo=dt.UTC)  # 08:30 in Lima
    return actions.book(
        slot.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )


def test_before_the_center_opens_check_in_is_refused_with_the_opening_time(first_of_the_day, clock):
    booking = first_of_the_day
    clock.move_to(booking.slot.start - dt.timedelta(minutes=20))  # 08:10
    with pytest.raises(Conflict) as refused:
        check_in(booking)
    assert (refused.value.code, refused.value.message) == (
        "before_opening",
        "El centro abre a las 08:30: puedes registrar tu llegada desde esa hora.",
    )
    booking.refresh_from_db()
    assert (booking.status, booking.ticket_id, Ticket.objects.count()) == ("confirmed", None, 0)
    assert actions.check_in_from(booking) == booking.slot.start
    # from the opening on, the appointment's ticket
    clock.move_to(booking.slot.start)
    ticket = check_in(booking).ticket
    assert ticket is not None
    assert (ticket.source, ticket.appointment_at) == ("appointment", booking.slot.start)


def test_too_early_for_the_first_slot_names_the_opening_time(first_of_the_day, clock):
    clock.move_to(first_of_the_day.slot.start - dt.timedelta(minutes=35))  # 07:55
    with pytest.raises(Conflict) as refused:
        check_in(first_of_the_day)
    assert (refused.value.code, refused.value.message) == (
        "too_early",
        "Es temprano: puedes registrar tu llegada desde las 08:30.",
    )
    assert Ticket.objects.count() == 0


def test_too_early_is_refused_with_the_time_to_come_back(booking, clock):
    clock.move_to(booking.slot.start - dt.timedelta(minutes=31))
    with pytest.raises(Conflict) as refused:
        check_in(booking)
    assert refused.value.code == "too_early"
    assert "09:40" in refused.value.message
    booking.refresh_from_db()
    assert (booking.status, Ticket.objects.count()) == ("confirmed", 0)


def test_check_in_requires_the_same_document(booking, clock):
    clock.move_to(booking.slot.start)
    with pytest.raises(NotFound):
        check_in(booking, number=OTHER_DNI)
    booking.refresh_from_db()
    assert (booking.status, Ticket.objects.count()) == ("confirmed", 0)


@pytest.mark.parametrize("first", ["cancel", "check_in"])
def test_a_cancelled_or_already_used_booking_is_refused(booking, clock, first):
    clock.move_to(booking.slot.start - dt.timedelta(minutes=5))
    if first == "cancel":
        actions.cancel(booking.code, document_type="dni", document_number=DNI)
    else:
        check_in(booking)
    tickets = Ticket.objects.count()
    with pytest.raises(Conflict) as refused:
        check_in(booking)
    assert refused.value.code == {"cancel": "cancelled", "check_in": "checked_in"}[first]
    assert Ticket.objects.count() == tickets


def test_another_day_is_refused(setup, clock):
    slot = actions.open_day(setup.center, setup.service, dt.date(2026, 12, 2))[0]
    booking = actions.book(
        slot.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    with pytest.raises(Conflict) as refused:
        check_in(booking)
    assert refused.value.code == "wrong_day"
    assert Ticket.objects.count() == 0


def test_a_booking_of_another_center_is_refused_there(booking, clock, personas):
    clock.move_to(booking.slot.start)
    with pytest.raises(Conflict) as refused:
        actions.check_in(
            booking.code, document_type="dni", document_number=DNI, center=personas.arequipa
        )
    assert refused.value.code == "other_center"
    booking.refresh_from_db()
    assert (booking.status, Ticket.objects.count()) == ("confirmed", 0)
