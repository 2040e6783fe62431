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
from mac.queueing.testing import make_counter

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


def test_a_language_of_attention_other_than_spanish_costs_no_statement(setup):
    # given: a counter serves the service in Quechua; the counters' skills
    # are cached (the day was listed)
    make_counter(setup.center, setup.personas.reniec, 2, [setup.service], languages=["es", "qu"])
    first, second = actions.open_day(setup.center, setup.service, DAY)[:2]
    in_spanish = actions.hold(first.pk, setup.service)
    in_quechua = actions.hold(second.pk, setup.service)

    # when
    _, spanish = statements(
        lambda: actions.confirm(
            in_spanish.token, document_type="dni", document_number=DNI, email="ana@example.pe"
        )
    )
    _, quechua = statements(
        lambda: actions.confirm(
            in_quechua.token,
            document_type="dni",
            document_number=OTHER_DNI,
            email="b@example.pe",
            attention_language="qu",
        )
    )

    # then: the counters' languages come with their cached skills
    assert spanish == quechua == STATEMENTS[connection.vendor][1]
