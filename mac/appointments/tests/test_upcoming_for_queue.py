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
