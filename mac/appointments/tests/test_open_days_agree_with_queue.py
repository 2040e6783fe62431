"""Appointments and the queue answer "does the center attend that day" with
the same rule (the centers': its exception for the day, else not on a holiday
or a declared non-working day, else its weekly hours): a day with slots is a
day the kiosk issues tickets, and a day without slots is one it refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from mac.appointments import actions, queries
from mac.appointments.errors import Invalid
from mac.appointments.testing import lima
from mac.centers.models import Center, OpeningException
from mac.core.models import NonWorkingDay
from mac.queueing import actions as queue
from mac.queueing.errors import Conflict
from mac.queueing.models import Ticket

pytestmark = pytest.mark.django_db

# The clock is stopped on Tuesday 2026-12-01 (conftest): the agenda's 30 days
# reach 31 December.
DECLARED = dt.date(2026, 12, 3)  # Thursday, declared non-working below
INMACULADA = dt.date(2026, 12, 8)  # Tuesday, national holiday, opened below
AYACUCHO = dt.date(2026, 12, 9)  # Wednesday, national holiday
INVENTORY = dt.date(2026, 12, 10)  # Thursday, closed by the center below
DECLARED_OPENED = dt.date(2026, 12, 11)  # Friday, declared non-working, opened below
NAVIDAD = dt.date(2026, 12, 25)  # Friday, national holiday


@pytest.fixture
def days_off(setup) -> None:
    center = setup.center
    NonWorkingDay.objects.create(date=DECLARED, name="Día no laborable decretado")
    NonWorkingDay.objects.create(date=DECLARED_OPENED, name="Día no laborable decretado")
    for day in (INMACULADA, DECLARED_OPENED):
        OpeningException.objects.create(
            center=center,
            date=day,
            closed=False,
            opens=dt.time(9),
            closes=dt.time(13),
            reason="Campaña",
        )
    OpeningException.objects.create(center=center, date=INVENTORY, reason="Inventario")


def schedule(center: Center) -> Center:
    return Center.objects.prefetch_related("hours", "exceptions").get(pk=center.pk)


def books(setup, day: dt.date) -> bool:
    try:
        return bool(actions.open_day(setup.center, setup.service, day))
    except Invalid as refused:
        assert refused.code == "closed_day"
        return False


def issues(setup, day: dt.date) -> bool:
    try:
        queue.issue_ticket(setup.center, setup.service, now=lima(day, 10))
    except Conflict as refused:
        assert refused.code == "center_closed"
        return False
    return True


def test_the_days_with_slots_are_the_days_the_queue_issues(setup, days_off):
    days = [dt.date(2026, 12, 2) + dt.timedelta(days=n) for n in range(29)]
    # when
    booked = [day for day in days if books(setup, day)]
    issued = [day for day in days if issues(setup, day)]
    # then they agree, and skip exactly the Sundays, the holidays and declared
    # days without an exception, and the day the center closes
    assert booked == issued
    closed = {DECLARED, AYACUCHO, INVENTORY, NAVIDAD}
    assert booked == [d for d in days if d.weekday() != 6 and d not in closed]
    assert {INMACULADA, DECLARED_OPENED} <= set(booked)
    assert Ticket.objects.count() == len(issued)
    # and the day picker lists the same days
    assert queries.open_days(schedule(setup.center), days[0], days[-1]) == booked


@pytest.mark.parametrize(
    ("label", "day", "reason"),
    [
        (
            "a national holiday",
            AYACUCHO,
            "El miércoles 9 de diciembre de 2026 es feriado (Batalla de Ayacucho):"
            " el centro no atiende.",
        ),
        (
            "a declared non-working day",
            DECLARED,
            "El jueves 3 de diciembre de 2026 es día no laborable (Día no laborable decretado):"
            " el centro no atiende.",
        ),
        (
            "a day the center closes",
            INVENTORY,
            "El jueves 10 de diciembre de 2026 el centro no atiende.",
        ),
    ],
)
def test_a_closed_day_says_why_in_both(setup, days_off, label, day, reason):
    with pytest.raises(Invalid) as no_slots:
        actions.open_day(setup.center, setup.service, day)
    with pytest.raises(Conflict) as no_ticket:
        queue.issue_ticket(setup.center, setup.service, now=lima(day, 10))
    assert (no_slots.value.code, no_slots.value.message) == ("closed_day", reason), label
    assert no_ticket.value.code == "center_closed"
    assert Ticket.objects.count() == 0


def test_a_holiday_the_center_opens_has_the_exceptions_slots(setup, days_off):
    slots = actions.open_day(setup.center, setup.service, INMACULADA)
    # 09:00-13:00 in 20-minute slots
    assert [s.start for s in slots] == [
        lima(INMACULADA, 9) + dt.timedelta(minutes=20 * n) for n in range(12)
    ]
