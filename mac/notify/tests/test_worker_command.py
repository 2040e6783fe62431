"""`mac worker --batch` runs the tasks that are due, then exits."""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import task

from mac.notify.actions import send
from mac.notify.models import Message
from mac.notify.testing import scheduled_tasks, worker_batch


# The worker closes and reopens database connections between tasks, as in
# production: the test cannot run inside one transaction.
@pytest.mark.django_db(transaction=True)
class TestWorkerCommand:
    def test_it_delivers_a_queued_message_and_exits(self, confirmed):
        # given: committed (no surrounding transaction), so the task is enqueued
        (message,) = send("appointment_confirmed", email="ana@example.pe", context=confirmed)

        # when
        printed = worker_batch()

        # then
        assert printed == "Ejecutando las tareas pendientes...\nTareas pendientes ejecutadas.\n"
        assert [m.subject for m in mail.outbox] == ["Tu cita LN-7K3Q está confirmada"]
        assert Message.objects.get().status == Message.Status.SENT
        assert scheduled_tasks().count() == 0
        assert message.pk == Message.objects.get().pk


@task()
def failing_task() -> None:
    raise RuntimeError("la pasarela no responde")


def run_worker(*verbosity: str) -> None:
    call_command("worker", "--batch", "--no-startup-delay", *verbosity, stdout=StringIO())


@pytest.mark.django_db(transaction=True)
class TestWorkerLogging:
    """By default the worker logs only warnings and failed tasks (its console
    is `mac demo`'s); -v 2 logs each task's start and end."""

    def task_records(self, caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
        return [
            (r.levelname, r.getMessage().split(" path=")[1])
            for r in caplog.records
            if r.name == "django_tasks"
        ]

    def test_the_default_logs_a_failed_task_and_not_the_ones_that_went_well(
        self, confirmed, caplog
    ):
        # given: one task that will succeed and one that will fail
        send("appointment_confirmed", email="ana@example.pe", context=confirmed)
        failing_task.enqueue()
        caplog.set_level(logging.DEBUG)

        # when
        run_worker()

        # then
        assert self.task_records(caplog) == [
            ("ERROR", "mac.notify.tests.test_worker_command.failing_task state=FAILED")
        ]
        assert len(mail.outbox) == 1

    def test_verbosity_2_logs_each_task(self, confirmed, caplog):
        # given
        send("appointment_confirmed", email="ana@example.pe", context=confirmed)
        caplog.set_level(logging.DEBUG)

        # when
        run_worker("--verbosity", "2")

        # then
        assert self.task_records(caplog) == [
            ("INFO", "mac.notify.tasks.deliver state=RUNNING"),
            ("INFO", "mac.notify.tasks.deliver state=SUCCESSFUL"),
        ]
