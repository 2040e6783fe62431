"""Reminders the day before and two hours before, the no-show mark after the
grace period, and the expiry of a hold, all as background tasks."""

import datetime as dt

import pytest
from django.core import mail

from mac.appointments import actions
from mac.appointments.testing import DNI, OTHER_DNI
from mac.notify import sms
from mac.notify.testing import run_tasks

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 3)


@pytest.fixture
def booking(setup, django_capture_on_commit_callbacks):
    slot = actions.open_day(setup.center, setup.service, DAY)[3]  # 09:30 in Lima
    with django_capture_on_commit_callbacks(execute=True):
        made = actions.book(
            slot.pk, setup.service, document_type="dni", document_number=DNI, phone="987654321"
        )
    run_tasks()
    assert [m.to for m in sms.outbox] == ["+51987654321"]
    sms.outbox.clear()
    return made


def sent_after(clock, moment, capture):
    clock.move_to(moment)
    with capture(execute=True):
        run_tasks()
    run_tasks()
    texts = [m.message for m in sms.outbox]
    sms.outbox.clear()
    return texts


def test_reminders_go_the_day_before_and_two_hours_before(
    booking, clock, django_capture_on_commit_callbacks
):
    start = booking.slot.start
    assert (
        sent_after(
            clock, start - dt.timedelta(days=1, minutes=1), django_capture_on_commit_callbacks
        )
        == []
    )
    day_before = sent_after(clock, start - dt.timedelta(days=1), django_capture_on_commit_callbacks)
    assert len(day_before) == 1 and booking.code in day_before[0] and "mañana" in day_before[0]
    two_hours = sent_after(clock, start - dt.timedelta(hours=2), django_capture_on_commit_callbacks)
    assert len(two_hours) == 1 and "es hoy a las 09:30," in two_hours[0]


def test_a_rescheduled_booking_is_reminded_at_its_new_time_only(
    setup, booking, clock, django_capture_on_commit_callbacks
):
    later = actions.open_day(setup.center, setup.service, dt.date(2026, 12, 4))[3]
    with django_capture_on_commit_callbacks(execute=True):
        actions.reschedule(booking.code, document_type="dni", document_number=DNI, slot_id=later.pk)
    run_tasks()
    sms.outbox.clear()
    # the old time's reminders do nothing
    assert (
        sent_after(
            clock, booking.slot.start - dt.timedelta(hours=2), django_capture_on_commit_callbacks
        )
        == []
    )
    assert (
        len(
            sent_after(
                clock, later.start - dt.timedelta(hours=2), django_capture_on_commit_callbacks
            )
        )
        == 1
    )


def test_a_cancelled_booking_gets_no_reminder_and_is_not_a_no_show(
    booking, clock, django_capture_on_commit_callbacks
):
    actions.cancel(booking.code, document_type="dni", document_number=DNI)
    sms.outbox.clear()
    assert (
        sent_after(
            clock, booking.slot.start + dt.timedelta(hours=1), django_capture_on_commit_callbacks
        )
        == []
    )
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_no_show_is_marked_after_the_grace_period(
    booking, clock, django_capture_on_commit_callbacks
):
    sent_after(
        clock, booking.slot.start + dt.timedelta(minutes=29), django_capture_on_commit_callbacks
    )
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    texts = sent_after(
        clock, booking.slot.start + dt.timedelta(minutes=30), django_capture_on_commit_callbacks
    )
    booking.refresh_from_db()
    assert (booking.status, booking.no_show_at) == (
        "no_show",
        booking.slot.start + dt.timedelta(minutes=30),
    )
    assert len(texts) == 1 and booking.code in texts[0]


def test_an_ordinary_hold_schedules_no_task_and_its_lapse_frees_the_place(setup, clock):
    from mac.notify.testing import scheduled_tasks

    slot = actions.open_day(setup.center, setup.service, DAY)[0]
    held = actions.hold(slot.pk, setup.service)
    assert scheduled_tasks().count() == 0
    clock.shift(dt.timedelta(minutes=7))
    assert actions.open_day(setup.center, setup.service, DAY)[0].available == 1
    other = actions.book(
        slot.pk, setup.service, document_type="dni", document_number=OTHER_DNI, email="b@x.pe"
    )
    held.refresh_from_db()
    slot.refresh_from_db()
    assert (held.status, other.status, slot.taken) == ("expired", "confirmed", 1)
    assert mail.outbox == []


def test_a_booking_keeps_one_follow_up_task_at_a_time(
    booking, clock, django_capture_on_commit_callbacks
):
    from mac.notify.testing import scheduled_tasks

    paths = [t.task_path for t in scheduled_tasks()]
    assert paths == ["mac.appointments.tasks.remind"]
