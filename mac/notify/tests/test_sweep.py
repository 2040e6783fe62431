"""A message that lost its delivery task (an enqueue that failed after the
commit, a worker stopped in the middle of a send) is handed back to it by the
sweep, once NOTIFY_STUCK_MINUTES (15) have passed, and sent once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django_tasks import TaskResultStatus

from mac.notify import delivery, sms
from mac.notify.actions import send
from mac.notify.models import Message
from mac.notify.tasks import deliver, schedule_sweep, sweep
from mac.notify.testing import run_tasks, scheduled_tasks, worker_batch

T0 = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
LATER = T0 + dt.timedelta(minutes=15)


def logged(confirmed, **channels):
    """Messages logged at T0 whose enqueue never happened: inside the test's
    transaction, `send`'s on-commit enqueue does not run."""
    with time_machine.travel(T0, tick=False):
        return send("appointment_confirmed", context=confirmed, **channels)


@pytest.fixture
def swept(django_capture_on_commit_callbacks):
    """`delivery.sweep` with its on-commit enqueues run, as after a commit."""

    def run(now: dt.datetime) -> list[int]:
        with django_capture_on_commit_callbacks(execute=True):
            return delivery.sweep(now)

    return run


def state(message: Message) -> tuple:
    message.refresh_from_db()
    return (message.status, message.attempts, message.last_error, message.touched_at)


@pytest.mark.django_db
class TestSweep:
    def test_a_queued_message_without_task_is_handed_back_and_sent_once(self, confirmed, swept):
        # given
        email, text = logged(confirmed, email="ana@example.pe", phone="+51987654321")

        # when
        with time_machine.travel(LATER, tick=False):
            handed = swept(LATER)
            sent = run_tasks()

        # then
        assert handed == [email.pk, text.pk]
        assert sent == 2
        assert [m.subject for m in mail.outbox] == ["Tu cita LN-7K3Q está confirmada"]
        assert [s.to for s in sms.outbox] == ["+51987654321"]
        assert [state(m)[:2] for m in (email, text)] == [("sent", 1), ("sent", 1)]

    def test_a_message_is_not_stuck_before_fifteen_minutes(self, confirmed, swept):
        # given
        (text,) = logged(confirmed, phone="+51987654321")
        before = state(text)

        # when
        handed = swept(LATER - dt.timedelta(seconds=1))

        # then: nothing changed, nothing scheduled
        assert handed == []
        assert state(text) == before == ("queued", 0, "", T0)
        assert scheduled_tasks().count() == 0

    def test_a_message_whose_task_was_only_late_goes_out_once(self, confirmed, swept):
        # given: its own task is waiting, a worker being busy
        (text,) = logged(confirmed, phone="+51987654321")
        with time_machine.travel(T0, tick=False):
            deliver.enqueue(text.pk)

        # when
        with time_machine.travel(LATER, tick=False):
            handed = swept(LATER)
            ran = run_tasks()

        # then: two tasks, one SMS
        assert handed == [text.pk]
        assert ran == 2
        assert len(sms.outbox) == 1
        assert state(text)[:2] == ("sent", 1)

    def test_a_send_interrupted_by_a_stopped_worker_is_tried_again(self, confirmed, swept):
        # given: claimed at T0, then the worker stopped before recording anything
        (text,) = logged(confirmed, phone="+51987654321")
        assert delivery.claim(text.pk, T0) is not None

        # when
        with time_machine.travel(LATER, tick=False):
            handed = swept(LATER)
            after_sweep = state(text)
            run_tasks()

        # then
        assert handed == [text.pk]
        assert after_sweep == ("retrying", 1, delivery.INTERRUPTED, LATER)
        assert len(sms.outbox) == 1
        assert state(text)[:2] == ("sent", 2)

    def test_an_interrupted_last_attempt_is_marked_failed(self, confirmed, settings, swept):
        # given
        settings.NOTIFY_MAX_ATTEMPTS = 1
        (text,) = logged(confirmed, phone="+51987654321")
        delivery.claim(text.pk, T0)

        # when
        handed = swept(LATER)

        # then
        assert handed == []
        assert state(text) == ("failed", 1, delivery.INTERRUPTED, LATER)
        assert scheduled_tasks().count() == 0

    def test_a_retry_waits_for_its_time_and_then_fifteen_minutes(self, confirmed, swept):
        # given: a failed attempt at T0, next one at T0 + 30 min
        (text,) = logged(confirmed, phone="+51987654321")
        retry_at = T0 + dt.timedelta(minutes=30)
        Message.objects.filter(pk=text.pk).update(
            status=Message.Status.RETRYING, attempts=1, next_attempt_at=retry_at
        )

        # when
        early = swept(retry_at + dt.timedelta(minutes=15) - dt.timedelta(seconds=1))
        late = swept(retry_at + dt.timedelta(minutes=15))

        # then
        assert (early, late) == ([], [text.pk])

    def test_sent_and_failed_messages_are_left_alone(self, confirmed, swept):
        # given
        email, text = logged(confirmed, email="ana@example.pe", phone="+51987654321")
        Message.objects.filter(pk=email.pk).update(status=Message.Status.SENT, attempts=1)
        Message.objects.filter(pk=text.pk).update(status=Message.Status.FAILED, attempts=4)
        before = [state(email), state(text)]

        # when
        handed = swept(T0 + dt.timedelta(days=1))

        # then
        assert handed == []
        assert [state(email), state(text)] == before
        assert scheduled_tasks().count() == 0

    def test_a_message_handed_back_is_not_handed_back_again_at_once(self, confirmed, swept):
        # given
        (text,) = logged(confirmed, phone="+51987654321")
        swept(LATER)

        # when: the task it got has not run yet
        again = swept(LATER + dt.timedelta(minutes=5))

        # then
        assert again == []
        assert state(text) == ("queued", 0, "", LATER)
        assert scheduled_tasks().count() == 1


@pytest.mark.django_db
class TestSweepSchedule:
    def test_one_sweep_waits_however_many_workers_start(self, settings):
        # given
        settings.NOTIFY_SWEEP_MINUTES = 5

        # when
        with time_machine.travel(T0, tick=False):
            first, second = schedule_sweep(), schedule_sweep()

        # then
        assert (first, second) == (True, False)
        (task,) = scheduled_tasks()
        assert (task.task_path, task.run_after) == (sweep.module_path, T0 + dt.timedelta(minutes=5))

    def test_the_sweep_hands_back_and_schedules_the_next_one(
        self, confirmed, settings, django_capture_on_commit_callbacks
    ):
        # given
        settings.NOTIFY_SWEEP_MINUTES = 5
        (text,) = logged(confirmed, phone="+51987654321")
        with time_machine.travel(LATER - dt.timedelta(minutes=5), tick=False):
            schedule_sweep()

        # when: the sweep runs (its enqueues happen at the commit), then what it enqueued
        with time_machine.travel(LATER, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                assert run_tasks() == 1
            assert run_tasks() == 1

        # then: the sweep ran, the message went out, one sweep waits
        assert state(text)[:2] == ("sent", 1)
        assert len(sms.outbox) == 1
        (task,) = scheduled_tasks()
        assert (task.task_path, task.run_after) == (
            sweep.module_path,
            LATER + dt.timedelta(minutes=5),
        )
        assert task.status == TaskResultStatus.READY


@pytest.mark.django_db(transaction=True)
class TestWorkerBatchSweeps:
    def test_worker_batch_sends_a_message_that_lost_its_task(self, confirmed):
        # given: committed, then its task vanished
        with time_machine.travel(T0, tick=False):
            (text,) = send("appointment_confirmed", phone="+51987654321", context=confirmed)
        scheduled_tasks().delete()

        # when
        printed = worker_batch(LATER)

        # then
        assert printed == (
            "Ejecutando las tareas pendientes...\n"
            "Mensajes sin tarea devueltos al envío: 1\n"
            "Tareas pendientes ejecutadas.\n"
        )
        assert len(sms.outbox) == 1
        assert Message.objects.get(pk=text.pk).status == Message.Status.SENT
