"""Named locks held until the transaction ends, for limits that count rows
and then insert one: without a lock two requests at once each count the
other's uncommitted row as none, and both pass the last free place.

On PostgreSQL a transaction-scoped advisory lock keyed on a hash of the name
(other names do not wait); SQLite transactions are already serial, so there
it does nothing. Call it inside the transaction that inserts, before the
count, and as its own statement: a count in the same statement would read a
snapshot taken before the lock was granted."""

from __future__ import annotations

import hashlib

from django.db import connection


def key(name: str) -> int:
    """The advisory lock's 64-bit key of a name."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def hold_until_commit(*names: str) -> None:
    """Take the locks of `names` (in one order, so that two callers taking
    several cannot deadlock on them) until the transaction ends."""
    if connection.vendor != "postgresql" or not names:
        return
    with connection.cursor() as cursor:
        for lock in sorted({key(name) for name in names}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
