"""Background tasks of the queue engine (django-tasks; `mac worker` runs them)."""

from __future__ import annotations

import logging
from dataclasses import asdict

from django.conf import settings
from django_tasks import task

from mac.core.tasks import schedule_next
from mac.queueing import actions

logger = logging.getLogger(__name__)


@task()
def close_days() -> dict[str, int]:
    """Close what past days left open (`actions.close_past_days`), then
    schedule the next run, also when this one failed (the chain must not end
    until the worker restarts). Returns what it did."""
    try:
        closed = asdict(actions.close_past_days())
        if any(closed.values()):
            logger.info("queue: past days closed: %s", closed)
    finally:
        schedule_close_days()
    return closed


def schedule_close_days(*, at_once: bool = False) -> bool:
    """Enqueue the next run HOUSEKEEPING_MINUTES from now (at once: when a
    worker starts and none is waiting, so that a center opening soon after
    does not wait for it), unless one is already waiting."""
    return schedule_next(close_days, 0 if at_once else settings.HOUSEKEEPING_MINUTES)
