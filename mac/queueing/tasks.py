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
    schedule the next run. Returns what it did."""
    closed = asdict(actions.close_past_days())
    if any(closed.values()):
        logger.info("queue: past days closed: %s", closed)
    schedule_close_days()
    return closed


def schedule_close_days() -> bool:
    return schedule_next(close_days, settings.HOUSEKEEPING_MINUTES)
