"""Housekeeping of the database: rows that only serve for a while.

- Live events (`Event`) serve screens that reconnect (SSE Last-Event-ID, at
  most `screens.live.REPLAY_LIMIT` of them): kept EVENTS_KEEP_DAYS days.
- Finished background tasks (django-tasks' results) serve to look into a
  failure: kept TASK_RESULTS_KEEP_DAYS days.

- Other apps register their own (`register`): the kiosk's used form keys.

`mac worker` runs `prune` every HOUSEKEEPING_MINUTES (`mac.core.tasks`) and
`mac worker --batch` when it starts. Audit log, attentions and messages are
history and are never pruned here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django_tasks_db.models import DBTaskResult

from mac.core.models import Event

# Rows deleted per statement: a short lock, and a row range read through the
# primary key (events carry no index on their time).
BATCH = 5000


def prune_events(now: dt.datetime, days: float) -> int:
    """Delete the events older than `days`; how many. Ids grow with time, so
    the oldest event tells whether there is anything to do, and each batch is
    the range of ids that follows it."""
    cutoff = now - dt.timedelta(days=days)
    deleted = 0
    while True:
        oldest = Event.objects.order_by("id").values_list("id", "at").first()
        if oldest is None or oldest[1] >= cutoff:
            return deleted
        n, _ = Event.objects.filter(id__lt=oldest[0] + BATCH, at__lt=cutoff).delete()
        deleted += n


def prune_task_results(now: dt.datetime, days: float) -> int:
    """Delete the background tasks that finished (done or failed) more than
    `days` ago; how many. Waiting and running ones stay whatever their age."""
    old = DBTaskResult.objects.finished().filter(finished_at__lt=now - dt.timedelta(days=days))
    deleted, _ = old.delete()
    return deleted


_pruners: dict[str, Callable[[dt.datetime], int]] = {}


def register(name: str, pruner: Callable[[dt.datetime], int]) -> None:
    """Have `prune` also call `pruner(now)`, which deletes an app's rows that
    have served their time and returns how many (an app's ready())."""
    _pruners[name] = pruner


def prune(now: dt.datetime) -> dict[str, int]:
    """Events and finished tasks with the settings' ages, then each registered
    app's: {"events": n, "task_results": n, name: n, ...}."""
    deleted = {
        "events": prune_events(now, settings.EVENTS_KEEP_DAYS),
        "task_results": prune_task_results(now, settings.TASK_RESULTS_KEEP_DAYS),
    }
    for name, pruner in sorted(_pruners.items()):
        deleted[name] = pruner(now)
    return deleted
