"""What a day leaves open is closed once it is past (Lima): tickets still
waiting are abandoned, tickets a counter still holds are closed (a called one
as a no-show, a served one with an "unrecorded" attention), advisors' sessions
are signed out. Without it the first call of the morning went to a ticket of
the day before, and a night-long attention inflated a week of service times."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mac.core.models import AuditLog, Event
from mac.notify.testing import run_tasks, scheduled_tasks, worker_batch
from mac.queueing import actions
from mac.queueing.models import AdvisorSession, Attention, Counter, Ticket, TicketEvent
from mac.queueing.queries import forget_service_times, service_times
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
        assert closed == actions.DayClosed(abandoned=1, signed_out=1)
        assert called is not None and called.pk == today.pk
        assert state(Ticket, yesterday.pk) == "abandoned"
        assert list(
            TicketEvent.objects.filter(ticket=yesterday).values_list("state", flat=True)
        ) == ["waiting", "abandoned"]
        assert Event.objects.filter(payload__type="ticket.abandoned").count() == 1
        assert AuditLog.objects.get(action="queue.center.abandoned").data == {"count": 1}

    def test_a_ticket_called_and_left_overnight_is_a_no_show(self, desk: Desk) -> None:
        # given: both advisors signed in yesterday (the fixture) and never signed out;
        # the RENIEC one called a citizen and left without ending it
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        called = actions.call_next(desk.counter, by=desk.advisor, now=OPEN)
        assert called is not None

        # when
        closed = actions.close_past_days(NEXT_MORNING)

        # then: the ticket ends when it was called, the counters are free and closed
        assert closed == actions.DayClosed(no_shows=1, signed_out=2)
        assert Ticket.objects.filter(pk=ticket.pk).values_list("state", "ended_at").get() == (
            "no_show",
            called.called_at,
        )
        assert list(
            TicketEvent.objects.filter(ticket=ticket).values_list("state", "by", "note")
        ) == [
            ("waiting", None, "kiosk"),
            ("called", desk.advisor.pk, ""),
            ("no_show", None, "day_closed"),
        ]
        for counter in (desk.counter, desk.sunat_counter):
            row = Counter.objects.get(pk=counter.pk)
            assert (row.status, row.advisor_id, row.current_ticket_id) == ("closed", None, None)
        assert not AdvisorSession.objects.filter(ended_at=None).exists()
        assert Attention.objects.count() == 0
        assert AuditLog.objects.get(action="queue.ticket.no_show").data == {"outcome": "day_closed"}

    def test_an_attention_left_open_overnight_is_unrecorded_and_not_a_service_time(
        self, desk: Desk
    ) -> None:
        # given: five 10-minute DNI attentions, then one the advisor never finished
        for minute in range(0, 50, 10):
            served = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
            at = OPEN + dt.timedelta(minutes=minute)
            actions.call_next(desk.counter, by=desk.advisor, now=at)
            actions.start(served, by=desk.advisor, now=at)
            actions.finish(served, by=desk.advisor, now=at + dt.timedelta(minutes=10))
        left = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        started = OPEN + dt.timedelta(minutes=50)
        actions.call_next(desk.counter, by=desk.advisor, now=started)
        actions.start(left, by=desk.advisor, now=started)

        # when
        closed = actions.close_past_days(NEXT_MORNING)

        # then: done, with an attention that ends when it started, by its advisor
        assert closed == actions.DayClosed(unrecorded=1, signed_out=2)
        assert Ticket.objects.filter(pk=left.pk).values_list("state", "ended_at").get() == (
            "done",
            started,
        )
        attention = Attention.objects.get(ticket=left)
        assert (
            attention.outcome,
            attention.ended_at,
            attention.service_seconds,
            attention.advisor_id,
            attention.counter_id,
        ) == ("unrecorded", started, 0, desk.advisor.pk, desk.counter.pk)
        assert list(TicketEvent.objects.filter(ticket=left).values_list("state", "note"))[-1] == (
            "done",
            "unrecorded",
        )
        assert Counter.objects.get(pk=desk.counter.pk).current_ticket_id is None
        # the week's mean DNI service stays 10 minutes
        forget_service_times()
        assert service_times(desk.center, NEXT_MORNING)[desk.dni.code] == 600.0

    def test_a_counter_with_a_ticket_of_today_is_left_to_its_advisor(self, desk: Desk) -> None:
        # given: the RENIEC advisor, signed in yesterday, is serving at 08:30 today
        ticket = actions.issue_ticket(desk.center, desk.dni, now=NEXT_MORNING)
        actions.call_next(desk.counter, by=desk.advisor, now=NEXT_MORNING)

        # when
        closed = actions.close_past_days(NEXT_MORNING)

        # then
        assert closed == actions.DayClosed(signed_out=1, left_busy=1)
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
            "Días anteriores cerrados: 1 tickets en espera, 0 llamados sin presentarse, "
            "0 atenciones sin cierre, 2 sesiones de módulo; 0 módulos con un ticket de hoy\n"
            "Tareas pendientes ejecutadas.\n"
        )
        assert Ticket.objects.get().state == "abandoned"


@pytest.mark.django_db
class TestChainsOutliveAFailure:
    """A run of a self-scheduling chain that fails (a dropped connection, a
    bug) still schedules the next: before, the chain ended until the worker
    restarted, and stuck messages, old events and past days waited with it."""

    @pytest.mark.parametrize(
        ("chain", "target"),
        [
            (
                "mac.queueing.tasks:close_days",
                "mac.queueing.actions.close_past_days",
            ),
            ("mac.notify.tasks:sweep", "mac.notify.delivery.sweep"),
            ("mac.core.tasks:prune", "mac.core.housekeeping.prune"),
        ],
        ids=["close_days", "sweep", "prune"],
    )
    def test_a_failed_run_schedules_the_next(self, settings, monkeypatch, chain, target):
        from importlib import import_module

        from mac.core.tasks import schedule_next

        # given: a run due now, and the work it does failing
        settings.HOUSEKEEPING_MINUTES = settings.NOTIFY_SWEEP_MINUTES = 60
        module_name, task_name = chain.split(":")
        task = getattr(import_module(module_name), task_name)
        with time_machine.travel(NEXT_MORNING - dt.timedelta(hours=1), tick=False):
            schedule_next(task, 60)
        owner, attribute = target.rsplit(".", 1)

        def fail(*args, **kwargs):
            raise RuntimeError("connection lost")

        monkeypatch.setattr(import_module(owner), attribute, fail)

        # when
        with time_machine.travel(NEXT_MORNING, tick=False):
            ran = run_tasks(raise_errors=False)

        # then: that run failed, the next one waits an hour later
        assert ran == 1
        (task_row,) = scheduled_tasks()
        assert (task_row.task_path, task_row.run_after) == (
            task.module_path,
            NEXT_MORNING + dt.timedelta(hours=1),
        )
