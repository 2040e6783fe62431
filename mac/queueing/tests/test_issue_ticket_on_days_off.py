"""The queue issues no ticket on a national holiday or a declared non-working
day, unless the center has an exception opening it that day (the centers'
opening rule, the one appointments follow)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from mac.centers.models import OpeningException
from mac.core.models import AuditLog, NonWorkingDay
from mac.queueing import actions
from mac.queueing.errors import Conflict
from mac.queueing.models import Ticket, TicketEvent, TicketSequence, Visit
from mac.queueing.testing import LIMA

from .conftest import Desk

# Tuesday 28 July 2026, Día de la Independencia, 10:00 in Lima.
INDEPENDENCIA = dt.datetime(2026, 7, 28, 10, 0, tzinfo=LIMA)
# Thursday 3 December 2026, 10:00 in Lima, an ordinary working day.
THURSDAY = dt.datetime(2026, 12, 3, 10, 0, tzinfo=LIMA)


def nothing_written() -> tuple[int, ...]:
    return (
        Visit.objects.count(),
        Ticket.objects.count(),
        TicketEvent.objects.count(),
        TicketSequence.objects.count(),
        AuditLog.objects.filter(action__startswith="queue.ticket").count(),
    )


def open_on(desk: Desk, day: dt.date) -> None:
    OpeningException.objects.create(
        center=desk.center,
        date=day,
        closed=False,
        opens=dt.time(9),
        closes=dt.time(13),
        reason="Campaña de DNI",
    )


class TestIssueTicketOnDaysOff:
    def test_it_refuses_a_national_holiday_and_writes_nothing(self, desk: Desk) -> None:
        with pytest.raises(Conflict) as refused:
            actions.issue_ticket(desk.center, desk.dni, now=INDEPENDENCIA)
        assert (refused.value.code, refused.value.message) == (
            "center_closed",
            "Centro MAC Lima Norte no atiende hoy: Día de la Independencia.",
        )
        assert nothing_written() == (0, 0, 0, 0, 0)

    def test_it_refuses_a_declared_non_working_day_and_writes_nothing(self, desk: Desk) -> None:
        NonWorkingDay.objects.create(date=THURSDAY.date(), name="Día no laborable decretado")
        with pytest.raises(Conflict) as refused:
            actions.issue_ticket(desk.center, desk.dni, now=THURSDAY)
        assert (refused.value.code, refused.value.message) == (
            "center_closed",
            "Centro MAC Lima Norte no atiende hoy: Día no laborable decretado.",
        )
        assert nothing_written() == (0, 0, 0, 0, 0)

    def test_it_issues_on_a_holiday_the_center_opens(self, desk: Desk) -> None:
        open_on(desk, INDEPENDENCIA.date())
        ticket = actions.issue_ticket(desk.center, desk.dni, now=INDEPENDENCIA)
        assert (ticket.code, ticket.day, ticket.state) == ("R-001", dt.date(2026, 7, 28), "waiting")

    def test_it_keeps_the_exceptions_hours_on_that_holiday(self, desk: Desk) -> None:
        open_on(desk, INDEPENDENCIA.date())
        with pytest.raises(Conflict) as refused:
            actions.issue_ticket(desk.center, desk.dni, now=INDEPENDENCIA.replace(hour=14))
        assert refused.value.code == "center_closed"
        assert nothing_written() == (0, 0, 0, 0, 0)

    def test_it_issues_on_a_declared_non_working_day_the_center_opens(self, desk: Desk) -> None:
        NonWorkingDay.objects.create(date=THURSDAY.date(), name="Día no laborable decretado")
        open_on(desk, THURSDAY.date())
        assert actions.issue_ticket(desk.center, desk.dni, now=THURSDAY).code == "R-001"


class TestIssueTicketApiOnAHoliday:
    def test_it_answers_409_center_closed_and_writes_nothing(
        self, desk: Desk, client: Client
    ) -> None:
        client.force_login(desk.advisor)
        with time_machine.travel(INDEPENDENCIA, tick=False):
            response = client.post(
                f"/api/v1/queue/centers/{desk.center.pk}/tickets",
                {"service": desk.dni.pk},
                content_type="application/json",
            )
        assert (response.status_code, response.json()["code"]) == (409, "center_closed")
        assert nothing_written() == (0, 0, 0, 0, 0)
