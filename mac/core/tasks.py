"""Background tasks that schedule themselves (django-tasks, database backend;
`mac worker` runs them): the housekeeping of the database."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from mac.core import housekeeping

logger = logging.getLogger(__name__)


def schedule_next(chain: Any, minutes: float) -> bool:
    """Enqueue `chain` (a task without arguments) `minutes` from now, unless a
    run of it is already waiting. Whether it enqueued. Two workers starting at
    the same instant may both enqueue one; the two chains merge at the next
    run, which finds the other waiting and schedules none."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=chain.module_path
    )
    if waiting.exists():
        return False
    chain.using(run_after=timezone.now() + dt.timedelta(minutes=minutes)).enqueue()
    return True


@task()
def prune() -> dict[str, int]:
    """Delete the rows that have served their time (`housekeeping.prune`), then
    schedule the next run, also when this one failed (the chain must not end
    until the worker restarts). Returns how many of each."""
    try:
        deleted = housekeeping.prune(timezone.now())
        if any(deleted.values()):
            logger.info("housekeeping: deleted %s", deleted)
    finally:
        schedule_prune()
    return deleted


def schedule_prune() -> bool:
    return schedule_next(prune, settings.HOUSEKEEPING_MINUTES)
