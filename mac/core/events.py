"""Events published after commit.

Actions call `publish_on_commit(topic, payload)`; the payload reaches the
subscribers only if the transaction commits. Subscribers (SSE streams,
notifications, rollups) register with `subscribe`. In one process this is a
plain in-memory fan-out; on PostgreSQL a LISTEN/NOTIFY relay feeds the same
subscribers across workers (added with the live screens).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import transaction

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
    transaction.on_commit(lambda: publish(topic, payload), using=using)
