"""A reminder is worded from the Lima dates, not from its offset: the
day-before reminder says "mañana"; sent late, on the day itself (a worker that
was stopped overnight), it says "hoy a las HH:MM"."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.testing import DNI, lima
from mac.core.calendar import to_lima
from mac.notify import sms
from mac.notify.testing import run_tasks

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 3)  # Thursday


@pytest.fixture
def booking(setup, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://mac.gob.pe"
    (slot,) = [
        s
        for s in actions.open_day(setup.center, setup.service, DAY)
        if to_lima(s.start).time() == dt.time(16, 10)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        made = actions.book(
            slot.pk, setup.service, document_type="dni", document_number=DNI, phone="987654321"
        )
    run_tasks()
    sms.outbox.clear()
    return made


def texts_at(clock, moment, capture):
    clock.move_to(moment)
    with capture(execute=True):
        run_tasks()
    run_tasks()
    return [m.message for m in sms.outbox]


def test_the_day_before_reminder_says_tomorrow(booking, clock, django_capture_on_commit_callbacks):
    # when: on time, Wednesday 16:10
    texts = texts_at(
        clock, lima(DAY - dt.timedelta(days=1), 16, 10), django_capture_on_commit_callbacks
    )

    # then
    assert texts == [
        f"MAC: tu cita {booking.code} es mañana, jueves 3 de diciembre de 2026, 16:10, "
        f"Centro MAC Lima Norte. Cambiar o anular: https://mac.gob.pe/citas/gestionar/?codigo={booking.code}"
    ]


def test_a_late_day_before_reminder_says_today_and_the_time(
    booking, clock, django_capture_on_commit_callbacks
):
    # when: the worker was stopped from Wednesday afternoon until Thursday 07:00
    texts = texts_at(clock, lima(DAY, 7, 0), django_capture_on_commit_callbacks)

    # then: one reminder, worded for the day itself
    assert texts == [
        f"MAC: tu cita {booking.code} es hoy a las 16:10, jueves 3 de diciembre de 2026, 16:10, "
        f"Centro MAC Lima Norte. Cambiar o anular: https://mac.gob.pe/citas/gestionar/?codigo={booking.code}"
    ]
