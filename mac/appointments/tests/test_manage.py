"""Rescheduling moves the one booking; cancelling frees its place; both need
the booking's code and document, and refuse with nothing changed."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.errors import Conflict, Invalid, NotFound
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import DNI, OTHER_DNI

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)


@pytest.fixture
def day_slots(setup):
    return actions.open_day(setup.center, setup.service, DAY)


@pytest.fixture
def booking(setup, day_slots):
    return actions.book(
        day_slots[0].pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )


def taken():
    return dict(Slot.objects.values_list("pk", "taken"))


def test_rescheduling_moves_the_same_booking_and_raises_its_sequence(booking, day_slots):
    # when
    moved = actions.reschedule(
        booking.code, document_type="dni", document_number=DNI, slot_id=day_slots[3].pk
    )
    # then one booking, in the new slot, the old place free
    assert moved.pk == booking.pk
    assert (moved.slot_id, moved.sequence, moved.status) == (day_slots[3].pk, 1, "confirmed")
    assert Booking.objects.filter(document_number=DNI).count() == 1
    assert taken()[day_slots[0].pk] == 0
    assert taken()[day_slots[3].pk] == 1


def test_rescheduling_to_a_full_slot_keeps_the_booking_where_it_was(setup, booking, day_slots):
    actions.book(
        day_slots[1].pk,
        setup.service,
        document_type="dni",
        document_number=OTHER_DNI,
        email="b@x.pe",
    )
    before = taken()
    with pytest.raises(Conflict) as refused:
        actions.reschedule(
            booking.code, document_type="dni", document_number=DNI, slot_id=day_slots[1].pk
        )
    assert refused.value.code == "slot_full"
    booking.refresh_from_db()
    assert (booking.slot_id, booking.sequence, taken()) == (day_slots[0].pk, 0, before)


def test_cancelling_frees_the_place(booking, day_slots):
    cancelled = actions.cancel(booking.code, document_type="dni", document_number=DNI)
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 1)
    assert taken()[day_slots[0].pk] == 0


@pytest.mark.parametrize(
    ("label", "code", "number", "error", "error_code"),
    [
        ("unknown code", "ZZZZZZZZ", DNI, NotFound, "booking_not_found"),
        ("another person's document", None, OTHER_DNI, NotFound, "booking_not_found"),
        ("invalid document", None, "1234", Invalid, "invalid_document"),
    ],
)
def test_managing_needs_the_code_and_the_same_document(
    booking, day_slots, label, code, number, error, error_code
):
    before = taken()
    for attempt in (
        lambda: actions.cancel(code or booking.code, document_type="dni", document_number=number),
        lambda: actions.reschedule(
            code or booking.code,
            document_type="dni",
            document_number=number,
            slot_id=day_slots[2].pk,
        ),
    ):
        with pytest.raises(error) as refused:
            attempt()
        assert refused.value.code == error_code, label
    booking.refresh_from_db()
    assert (booking.status, booking.slot_id, taken()) == ("confirmed", day_slots[0].pk, before)


def test_a_cancelled_booking_cannot_be_cancelled_or_moved_again(booking, day_slots):
    actions.cancel(booking.code, document_type="dni", document_number=DNI)
    for attempt in (
        lambda: actions.cancel(booking.code, document_type="dni", document_number=DNI),
        lambda: actions.reschedule(
            booking.code, document_type="dni", document_number=DNI, slot_id=day_slots[2].pk
        ),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.code == "cancelled"
    assert taken()[day_slots[2].pk] == 0


def test_rescheduling_to_the_same_slot_is_refused(booking, day_slots):
    with pytest.raises(Invalid) as refused:
        actions.reschedule(
            booking.code, document_type="dni", document_number=DNI, slot_id=day_slots[0].pk
        )
    assert refused.value.code == "same_slot"
    booking.refresh_from_db()
    assert booking.sequence == 0


def test_rescheduling_to_a_slot_within_the_lead_time_is_refused(setup, booking):
    today = dt.date(2026, 12, 1)  # the clock's day, 09:00 in Lima
    actions.open_day(setup.center, setup.service, today)
    soon = Slot.objects.get(start=dt.datetime(2026, 12, 1, 14, 30, tzinfo=dt.UTC))  # 09:30
    where, before = booking.slot_id, taken()
    with pytest.raises(Invalid) as refused:
        actions.reschedule(booking.code, document_type="dni", document_number=DNI, slot_id=soon.pk)
    assert refused.value.code == "lead_time"
    booking.refresh_from_db()
    assert (booking.slot_id, booking.sequence, taken()) == (where, 0, before)


def test_rescheduling_when_the_agenda_was_closed_is_refused(setup, booking, day_slots):
    setup.agenda.active = False
    setup.agenda.save()
    before = taken()
    with pytest.raises(NotFound) as refused:
        actions.reschedule(
            booking.code, document_type="dni", document_number=DNI, slot_id=day_slots[3].pk
        )
    assert refused.value.code == "no_agenda"
    booking.refresh_from_db()
    assert (booking.slot_id, booking.sequence, booking.status) == (day_slots[0].pk, 0, "confirmed")
    assert taken() == before


def test_rescheduling_to_a_day_declared_non_working_later_is_refused(
    setup, booking, day_slots, django_capture_on_commit_callbacks
):
    from mac.core.actions import save_non_working_day
    from mac.core.models import NonWorkingDay

    later = actions.open_day(setup.center, setup.service, dt.date(2026, 12, 3))[0]
    # declared through the back office: its event drops the cached calendar
    with django_capture_on_commit_callbacks(execute=True):
        save_non_working_day(
            NonWorkingDay(date=dt.date(2026, 12, 3), name="Día no laborable decretado"), by=None
        )
    before = taken()
    with pytest.raises(Invalid) as refused:
        actions.reschedule(booking.code, document_type="dni", document_number=DNI, slot_id=later.pk)
    assert refused.value.code == "closed_day"
    booking.refresh_from_db()
    assert (booking.slot_id, booking.sequence) == (day_slots[0].pk, 0)
    assert taken() == before
