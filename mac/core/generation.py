"""The configuration generation: a number that every configuration change
raises in its own transaction, so that a process's caches of configuration
(mac.queueing.cache) learn with one cheap read that another process changed
it.

It is the one row (id 1) of `ConfigurationGeneration`. `publish_on_commit`
(mac.core.events) raises it with each event whose topic is registered here
(`track`), in the event's transaction, on PostgreSQL in the event's own
statement (no round trip more): a rolled-back change leaves it as it was, and
since the row stays locked from the raise to the commit, two changes raise it
one after the other, in the order they commit. The events' housekeeping
(`mac.core.housekeeping.prune_events`) never touches it. See "Per-process
caches" in docs/architecture.md for why this and not the events' ids.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

from mac.core.rows import Statement

_prefixes: list[str] = []


def track(prefix: str) -> None:
    """Raise the generation with every event whose topic starts with `prefix`
    (an app's ready(), for the events its caches hear)."""
    if prefix not in _prefixes:
        _prefixes.append(prefix)


def tracks(topic: str) -> bool:
    return topic.startswith(tuple(_prefixes))


def _table(alias: str) -> str:
    from mac.core.models import ConfigurationGeneration

    return connections[alias].ops.quote_name(ConfigurationGeneration._meta.db_table)


def raise_statement(using: str = DEFAULT_DB_ALIAS) -> Statement:
    """The statement that raises the generation by one (creating its row, if a
    flush of the tables took it: the same on PostgreSQL and SQLite)."""
    table = _table(using)
    return (
        f"INSERT INTO {table} (id, value) VALUES (1, 1)"
        f" ON CONFLICT (id) DO UPDATE SET value = {table}.value + 1",
        [],
    )


def read(using: str = DEFAULT_DB_ALIAS) -> int:
    """The generation now (0 before any change): one lookup by primary key, in
    the caller's transaction."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT value FROM {_table(using)} WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0
