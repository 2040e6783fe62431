"""Events published after commit.

Actions call `publish_on_commit(topic, payload)` inside their transaction.
The event is written to the Event table in that transaction (so live screens
can replay what they missed, and a rolled-back change leaves no event); when
the transaction commits, in-process subscribers (`subscribe`) are called and
the live screens get it (mac.core.live): directly in this process, and on
PostgreSQL through NOTIFY, which the database delivers only on commit, in
every other worker. An event of configuration (a topic `generation.track`
registers) also raises the configuration generation in its transaction
(mac.core.generation), which other workers' caches check.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from mac.core import rows
from mac.core.rows import Statement

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


def publish_on_commit(
    topic: str,
    payload: dict[str, Any],
    *,
    using: str | None = None,
    along: Sequence[Statement] = (),
) -> None:
    """Write the event in the current transaction and deliver it on commit.

    `along`: the action's other writes that need no answer (its history and
    audit rows, updates of rows it holds locked; mac.core.rows), sent
    with the event: on PostgreSQL the rows, the event and its NOTIFY are one
    statement (data-modifying WITH clauses), so one round trip. They must not
    touch the same row twice (PostgreSQL runs WITH clauses in no set order).
    An event of configuration raises the configuration generation with them
    (mac.core.generation)."""
    from mac.core import generation, live
    from mac.core.models import Event

    alias = using or DEFAULT_DB_ALIAS
    if generation.tracks(topic):
        along = [*along, generation.raise_statement(alias)]
    connection = connections[alias]
    postgres = connection.vendor == "postgresql"
    sql, params = rows.insert(Event(topic=topic, payload=payload), using=alias)
    returning = f"{sql} RETURNING {rows.pk_column(Event)}"
    with connection.cursor() as cursor:
        if postgres:
            clauses = [f"w{i} AS ({statement})" for i, (statement, _) in enumerate(along)]
            clauses.append(f"e AS ({returning})")
            values = [value for _, row in along for value in row] + params
            tail = live.notify_tail(topic, payload)
            if tail is None:
                select = "SELECT id FROM e"
            else:  # the text of live.notify_sql, with the id the insert gives
                select = "SELECT id, pg_notify(%s, concat(%s, id, %s)) FROM e"
                values += [live.CHANNEL, live.NOTIFY_HEAD, tail]
            cursor.execute(f"WITH {', '.join(clauses)} {select}", values)
            event_id = cursor.fetchone()[0]
            if tail is None:
                live.too_large(event_id)
        else:  # SQLite: in process, no round trips to save
            for statement, row in along:
                cursor.execute(statement, row)
            cursor.execute(returning, params)
            event_id = cursor.fetchone()[0]

    def deliver() -> None:
        publish(topic, payload)
        live.broker.broadcast(live.LiveEvent(event_id, topic, payload), dedupe=postgres)

    transaction.on_commit(deliver, using=using)
