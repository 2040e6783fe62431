"""What a day leaves open is closed once it is past (Lima): tickets still
waiting are abandoned, advisors' sessions are signed out, a counter still
holding a ticket is left to its advisor. Without it the first call of the
morning went to a ticket of the day before."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mac.core.models import AuditLog, Event
from mac.notify.testing import run_tasks, scheduled_tasks, worker_batch
from mac.queueing import actions
from mac.queueing.models import AdvisorSession, Counter, Ticket, TicketEvent
from mac.queueing.tasks import close_days, schedule_close_days
from mac.queueing.testing import OPEN

from .conftest import Desk

NEXT_MORNING = OPEN + dt.timedelta(days=1) - dt.timedelta(hours=1, minutes=30)  # 08:30 Lima
LATE_EVENING = OPEN.replace(hour=23, minute=50)


def state(model, pk):
    return model.objects.filter(pk=pk).values_list("state", flat=True).get()


class TestClosePastDays:
    def test_the_morning_call_goes_to_a_ticket_of_today_not_of_yesterday(self, desk: Desk) -> None:
        # given: a citizen left waiting at closing; the advisor comes back next morning
        yesterday = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.sign_out(desk.counter, by=desk.advisor, now=OPEN + dt.timedelta(hours=8))
        actions.sign_in(desk.counter, by=desk.advisor, now=NEXT_MORNING)
        today = actions.issue_ticket(desk.center, desk.dni, now=NEXT_MORNING)

        # when
        closed = actions.close_past_days(NEXT_MORNING)
        called = actions.call_next(desk.counter, by=desk.advisor, now=NEXT_MORNING)

        # then
        assert closed == actions.DayClosed(abandoned=1, signed_out=1, left_busy=0)
        assert called is not None and called.pk == today.pk
        assert state(Ticket, yesterday.pk) == "abandoned"
        assert list(
            TicketEvent.objects.filter(ticket=yesterday).values_list("state", flat=True)
        ) == ["waiting", "abandoned"]
        assert Event.objects.filter(payload__type="ticket.abandoned").count() == 1
        assert AuditLog.objects.get(action="queue.center.abandoned").data == {"count": 1}

    def test_a_session_left_open_overnight_is_signed_out(self, desk: Desk) -> None:
        # given: both advisors signed in yesterday (the fixture) and never signed out;
        # the RENIEC one still holds a ticket
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.call_next(desk.counter, by=desk.advisor, now=OPEN)

        # when
        closed = actions.close_past_days(NEXT_MORNING)

        # then
        assert closed == actions.DayClosed(abandoned=0, signed_out=1, left_busy=1)
        sunat = Counter.objects.get(pk=desk.sunat_counter.pk)
        assert (sunat.status, sunat.advisor_id) == ("closed", None)
        assert AdvisorSession.objects.get(counter=sunat).ended_at == NEXT_MORNING
        reniec = Counter.objects.get(pk=desk.counter.pk)
        assert (reniec.status, reniec.advisor_id, reniec.current_ticket_id) == (
            "open",
            desk.advisor.pk,
            ticket.pk,
        )
        assert state(Ticket, ticket.pk) == "called"

    def test_the_day_itself_is_not_closed_before_midnight(self, desk: Desk) -> None:
        # given
        waiting = actions.issue_ticket(desk.center, desk.dni, now=OPEN)

        # when: late in the evening of the same day, Lima time (04:50 UTC the next day)
        closed = actions.close_past_days(LATE_EVENING)

        # then: nothing changed
        assert closed == actions.DayClosed()
        assert state(Ticket, waiting.pk) == "waiting"
        assert Counter.objects.filter(status="open").count() == 2

    def test_running_it_again_changes_nothing(self, desk: Desk) -> None:
        # given
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.close_past_days(NEXT_MORNING)
        audit_rows, events = AuditLog.objects.count(), Event.objects.count()

        # when
        again = actions.close_past_days(NEXT_MORNING + dt.timedelta(hours=1))

        # then
        assert again == actions.DayClosed()
        assert (AuditLog.objects.count(), Event.objects.count()) == (audit_rows, events)


@pytest.mark.django_db
class TestCloseDaysTask:
    def test_it_closes_and_schedules_the_next_run(self, desk: Desk, settings) -> None:
        # given
        settings.HOUSEKEEPING_MINUTES = 60
        waiting = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        with time_machine.travel(NEXT_MORNING - dt.timedelta(hours=1), tick=False):
            schedule_close_days()

        # when
        with time_machine.travel(NEXT_MORNING, tick=False):
            ran = run_tasks()

        # then
        assert ran == 1
        assert state(Ticket, waiting.pk) == "abandoned"
        (task,) = scheduled_tasks()
        assert (task.task_path, task.run_after) == (
            close_days.module_path,
            NEXT_MORNING + dt.timedelta(hours=1),
        )

    def test_a_starting_worker_has_it_run_at_once_unless_one_waits(self, settings) -> None:
        # given
        settings.HOUSEKEEPING_MINUTES = 60

        # when
        with time_machine.travel(NEXT_MORNING, tick=False):
            first = schedule_close_days(at_once=True)
            second = schedule_close_days(at_once=True)

        # then
        assert (first, second) == (True, False)
        (task,) = scheduled_tasks()
        assert (task.task_path, task.run_after) == (close_days.module_path, NEXT_MORNING)


@pytest.mark.django_db(transaction=True)
class TestWorkerBatchClosesPastDays:
    def test_worker_batch_closes_and_says_so(self, desk: Desk, settings) -> None:
        # given (the fixture's events, written at the real clock, stay out of it)
        settings.EVENTS_KEEP_DAYS = 100_000
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)

        # when
        printed = worker_batch(NEXT_MORNING)

        # then
        assert printed == (
            "Ejecutando las tareas pendientes...\n"
            "Días anteriores cerrados: 1 tickets en espera, 2 sesiones de módulo; "
            "0 módulos con una atención sin terminar\n"
            "Tareas pendientes ejecutadas.\n"
        )
        assert Ticket.objects.get().state == "abandoned"
