"""Driving background tasks in tests, in this process and this thread.

Tasks are enqueued when the caller's transaction commits; inside a test's
transaction, commit them with pytest-django's
`django_capture_on_commit_callbacks(execute=True)`. Then `run_tasks()` runs
every task due now (by `django.utils.timezone.now()`, so time-machine moves
it), including the ones those tasks enqueue that are due at once:

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(...)            # calls mac.notify.actions.send
    run_tasks()                        # the confirmation goes out
    with time_machine.travel(booking.starts_at - dt.timedelta(days=1)):
        run_tasks()                    # the reminder scheduled with run_after

SMS go to `mac.notify.sms.outbox` in tests (mac/conftest.py), emails to
`django.core.mail.outbox`.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

WORKER_ID = "tests"


def scheduled_tasks() -> DBTaskResultQuerySet:
    """Tasks enqueued and not yet run, due or not, in the order a worker
    would take them."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def run_tasks(*, raise_errors: bool = True, limit: int = 1000) -> int:
    """Run every task that is due now; returns how many ran. A task that
    raises is marked failed, as the worker would, and then (by default) its
    error is raised here so that the test fails loudly."""
    # The worker's own loop would close the test's database connection
    # (`close_old_connections`); its `run_task` marks results like in production.
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=WORKER_ID,
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            result = (
                DBTaskResult.objects.ready()
                .filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
                .get_locked()
            )
            if result is None:
                return ran
            result.claim(WORKER_ID)
        worker.run_task(result)
        ran += 1
        if raise_errors and result.status == TaskResultStatus.FAILED:
            raise AssertionError(f"task {result.task_path} failed:\n{result.traceback}")
        if ran >= limit:
            raise AssertionError(f"more than {limit} tasks: does a task enqueue itself?")


def worker_batch(at: dt.datetime | None = None) -> str:
    """Run `mac worker --batch` (at `at`, or now) and return what it printed."""
    out = StringIO()
    with time_machine.travel(at or timezone.now(), tick=False):
        call_command("worker", "--batch", "--no-startup-delay", "--verbosity", "0", stdout=out)
    return out.getvalue()
