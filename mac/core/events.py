"""Events published after commit.

Actions call `publish_on_commit(topic, payload)` inside their transaction.
The event is written to the Event table in that transaction (so live screens
can replay what they missed, and a rolled-back change leaves no event); when
the transaction commits, in-process subscribers (`subscribe`) are called and
the live screens get it (mac.core.live): directly in this process, and on
PostgreSQL through NOTIFY, which the database delivers only on commit, in
every other worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections, transaction

logger = logging.getLogger(__name__)

Handler = Callable[[str, dict[str, Any]], None]

_lock = threading.Lock()
_subscribers: list[tuple[str, Handler]] = []


def subscribe(prefix: str, handler: Handler) -> Callable[[], None]:
    """Call `handler(topic, payload)` for each topic starting with `prefix`.
    Returns a function that unsubscribes."""
    entry = (prefix, handler)
    with _lock:
        _subscribers.append(entry)

    def unsubscribe() -> None:
        with _lock:
            if entry in _subscribers:
                _subscribers.remove(entry)

    return unsubscribe


def publish(topic: str, payload: dict[str, Any]) -> None:
    with _lock:
        targets = [h for prefix, h in _subscribers if topic.startswith(prefix)]
    for handler in targets:
        try:
            handler(topic, payload)
        except Exception:  # a broken listener must not break the others
            logger.exception("event handler failed for %s", topic)


def publish_on_commit(topic: str, payload: dict[str, Any], *, using: str | None = None) -> None:
    from mac.core import live
    from mac.core.models import Event

    alias = using or "default"
    event = Event.objects.using(alias).create(topic=topic, payload=payload)
    postgres = connections[alias].vendor == "postgresql"
    notify = live.notify_sql(event.pk, topic, payload) if postgres else None
    if notify is not None:
        with connections[alias].cursor() as cursor:
            cursor.execute(*notify)

    def deliver() -> None:
        publish(topic, payload)
        live.broker.broadcast(live.LiveEvent(event.pk, topic, payload), dedupe=postgres)

    transaction.on_commit(deliver, using=using)
