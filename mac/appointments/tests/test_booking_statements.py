"""Holding and confirming are the booking's hot path (`mac bench booking`, a
machine that takes about 50 bookings per second): each sends a fixed, small
number of statements to the database, whatever is booked already."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mac.appointments import actions
from mac.appointments.models import Booking
from mac.appointments.testing import DNI, OTHER_DNI

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)

# Inside the test's transaction each action is a savepoint (BEGIN and COMMIT
# in production): hold locks the client address (PostgreSQL: a statement of
# its own, so that the count sees what the lock waited for), counts the
# address's bookings, locks the slot with its agenda, inserts the booking and
# sends the slot's counter, the audit row and the event together. Confirm
# locks the person, locks the hold with what the notice shows, counts the
# limits in one statement, sends the email (the recipient's lock, its count
# of the hour, the message, the .ics), enqueues the follow-up and sends the
# booking's update, the audit row and the event together. SQLite takes no
# locks and sends those last writes one by one.
STATEMENTS = {"postgresql": (7, 11), "sqlite": (8, 11)}


def statements(action):
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return result, len(captured.captured_queries)


def test_a_hold_and_its_confirmation_take_a_fixed_number_of_statements(setup):
    # given: a day with a booking already
    first, second = actions.open_day(setup.center, setup.service, DAY)[:2]
    actions.book(
        first.pk, setup.service, document_type="dni", document_number=OTHER_DNI, email="b@x.pe"
    )

    # when
    held, hold_statements = statements(
        lambda: actions.hold(second.pk, setup.service, client_address="198.51.100.7")
    )
    booking, confirm_statements = statements(
        lambda: actions.confirm(
            held.token, document_type="dni", document_number=DNI, email="ana@example.pe"
        )
    )

    # then
    assert (hold_statements, confirm_statements) == STATEMENTS[connection.vendor]
    stored = Booking.objects.select_related("slot").get(pk=booking.pk)
    assert (stored.status, stored.document_number, stored.email) == (
        "confirmed",
        DNI,
        "ana@example.pe",
    )
    assert stored.slot.taken == 1
