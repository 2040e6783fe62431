"""The queue sees booked citizens who have not arrived yet, near their slot."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.queries import upcoming_for_queue
from mac.appointments.testing import DNI, OTHER_DNI

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def test_it_lists_confirmed_bookings_near_now_that_have_not_checked_in(setup, clock):
    slots = actions.open_day(setup.center, setup.service, TODAY)  # from 10:10 (lead 1 h)
    near, later = slots[0], slots[6]  # 10:10 and 12:10
    mine = actions.book(
        near.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    actions.book(
        later.pk, setup.service, document_type="dni", document_number=OTHER_DNI, email="b@x.pe"
    )
    actions.hold(slots[1].pk, setup.service)  # a hold is nobody yet
    clock.move_to(near.start - dt.timedelta(minutes=20))
    now = near.start - dt.timedelta(minutes=20)
    assert upcoming_for_queue(setup.center.pk, now) == (
        (setup.service.code, near.start.timestamp()),
    )
    # checked in: now a ticket in the queue, no longer upcoming
    actions.check_in(mine.code, document_type="dni", document_number=DNI)
    assert upcoming_for_queue(setup.center.pk, now) == ()


def test_the_queue_snapshot_expects_them_until_they_check_in(
    setup, clock, django_capture_on_commit_callbacks
):
    from mac.queueing.queries import build_snapshot, forget_service_times

    forget_service_times()
    near = actions.open_day(setup.center, setup.service, TODAY)[0]
    mine = actions.book(
        near.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    now = near.start - dt.timedelta(minutes=5)
    clock.move_to(now)
    snapshot, _ = build_snapshot(setup.center, now)
    assert snapshot.upcoming == ((setup.service.code, near.start.timestamp()),)
    with django_capture_on_commit_callbacks(execute=True):
        actions.check_in(mine.code, document_type="dni", document_number=DNI)
    snapshot, _ = build_snapshot(setup.center, now)
    assert snapshot.upcoming == ()
    assert [t.appointment for t in snapshot.waiting] == [near.start.timestamp()]
