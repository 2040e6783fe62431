"""Live events and finished background tasks are deleted once they have served
their time (EVENTS_KEEP_DAYS, TASK_RESULTS_KEEP_DAYS), by `mac worker` every
HOUSEKEEPING_MINUTES and by `mac worker --batch`; nothing younger is touched."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mac.core import housekeeping
from mac.core.models import Event
from mac.core.tasks import prune, schedule_prune
from mac.notify.tasks import sweep
from mac.notify.testing import run_tasks, scheduled_tasks, worker_batch

NOW = dt.datetime(2026, 12, 10, 15, 0, tzinfo=dt.UTC)


def event_at(at: dt.datetime, n: int = 0) -> Event:
    with time_machine.travel(at, tick=False):
        return Event.objects.create(
            topic="queue.center.1", payload={"type": "ticket.called", "n": n}
        )


def task_result(status: str, finished: dt.datetime | None, enqueued: dt.datetime) -> DBTaskResult:
    """A run of the notify sweep in the given state (READY: not run yet)."""
    with time_machine.travel(enqueued, tick=False):
        result = sweep.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return DBTaskResult.objects.get(pk=result.id)


def ids(queryset) -> list:
    return sorted(queryset.values_list("pk", flat=True))


@pytest.mark.django_db
class TestPruneEvents:
    def test_it_deletes_the_events_older_than_the_limit_in_batches(self, monkeypatch):
        # given: 7 events over 4 days old, then 2 younger, one just inside the limit
        monkeypatch.setattr(housekeeping, "BATCH", 3)
        for n in range(7):
            event_at(NOW - dt.timedelta(days=4, minutes=10 - n), n)
        kept = [
            event_at(NOW - dt.timedelta(days=3) + dt.timedelta(seconds=1), 7),
            event_at(NOW - dt.timedelta(hours=1), 8),
        ]

        # when
        deleted = housekeeping.prune_events(NOW, 3)

        # then
        assert deleted == 7
        assert ids(Event.objects) == sorted(e.pk for e in kept)

    def test_nothing_old_deletes_nothing(self):
        # given
        young = [event_at(NOW - dt.timedelta(hours=h)) for h in (70, 2)]

        # when
        deleted = housekeeping.prune_events(NOW, 3)

        # then
        assert deleted == 0
        assert ids(Event.objects) == sorted(e.pk for e in young)

    def test_an_empty_table_is_fine(self):
        assert housekeeping.prune_events(NOW, 3) == 0


@pytest.mark.django_db
class TestPruneTaskResults:
    def test_it_deletes_finished_tasks_older_than_the_limit_and_keeps_the_rest(self):
        # given
        old = NOW - dt.timedelta(days=15)
        done_long_ago = task_result(TaskResultStatus.SUCCESSFUL, old, old)
        failed_long_ago = task_result(TaskResultStatus.FAILED, old, old)
        done_lately = task_result(TaskResultStatus.SUCCESSFUL, NOW - dt.timedelta(days=13), old)
        still_waiting = task_result(TaskResultStatus.READY, None, old)
        running = task_result(TaskResultStatus.RUNNING, None, old)

        # when
        deleted = housekeeping.prune_task_results(NOW, 14)

        # then
        assert deleted == 2
        assert ids(DBTaskResult.objects) == sorted([done_lately.pk, still_waiting.pk, running.pk])
        assert not DBTaskResult.objects.filter(pk__in=[done_long_ago.pk, failed_long_ago.pk])


@pytest.mark.django_db
class TestPruneTask:
    def test_one_run_waits_however_many_workers_start(self, settings):
        # given
        settings.HOUSEKEEPING_MINUTES = 60

        # when
        with time_machine.travel(NOW, tick=False):
            first, second = schedule_prune(), schedule_prune()

        # then
        assert (first, second) == (True, False)
        (task,) = scheduled_tasks()
        assert (task.task_path, task.run_after) == (prune.module_path, NOW + dt.timedelta(hours=1))

    def test_it_prunes_and_schedules_the_next_run(self, settings):
        # given
        settings.HOUSEKEEPING_MINUTES = 60
        settings.EVENTS_KEEP_DAYS = 3
        settings.TASK_RESULTS_KEEP_DAYS = 14
        event_at(NOW - dt.timedelta(days=5))
        young = event_at(NOW - dt.timedelta(days=1))
        old = NOW - dt.timedelta(days=20)
        task_result(TaskResultStatus.SUCCESSFUL, old, old)
        with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
            schedule_prune()

        # when
        with time_machine.travel(NOW, tick=False):
            ran = run_tasks()

        # then: the old event and the old task are gone; this run is done, the next waits
        assert ran == 1
        assert ids(Event.objects) == [young.pk]
        done = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
        assert (done.task_path, done.return_value) == (
            prune.module_path,
            {"events": 1, "task_results": 1, "kiosk_requests": 0},
        )
        (task,) = scheduled_tasks()
        assert (task.task_path, task.run_after) == (prune.module_path, NOW + dt.timedelta(hours=1))


# The worker closes and reopens database connections: no surrounding transaction.
@pytest.mark.django_db(transaction=True)
class TestWorkerBatchPrunes:
    def test_worker_batch_deletes_old_events_and_says_so(self, settings):
        # given
        settings.EVENTS_KEEP_DAYS = 3
        for n in range(2):
            event_at(NOW - dt.timedelta(days=4), n)
        young = event_at(NOW - dt.timedelta(days=2))

        # when
        printed = worker_batch(NOW)

        # then
        assert printed == (
            "Ejecutando las tareas pendientes...\n"
            "Limpieza: 2 eventos, 0 tareas terminadas y 0 registros de uso único eliminados\n"
            "Tareas pendientes ejecutadas.\n"
        )
        assert ids(Event.objects) == [young.pk]
