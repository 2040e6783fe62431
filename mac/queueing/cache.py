"""Per-process caches of what the hot paths read and rarely changes: a
center's schedule and offers, its queue settings and its counters' skills
(services and, per service, the languages of the active counters that have
it), the declared non-working days (appointments read the schedule and those
days too).

A change made through the catalog, centers, core or queue configuration
actions (`queueing.actions.save_counter`; the TOPICS of their events) drops
the entries of this process at once when it commits (its event), and raises
the configuration generation in its transaction (mac.core.generation). Every
process reads the generation at most once per CHECK_EVERY seconds, on the
first use of a cache after that, and drops its entries when it moved: other
workers see a change within about CHECK_EVERY (the one statement a second
that this costs the hot paths). Entries live at most TTL seconds: the bound
for a change made without an action (a direct write, a script).

A load that a drop overtook (another thread dropped the entries while it
read the database) is returned but not kept: what it read may predate the
change. On PostgreSQL each statement reads what was committed when it began;
on SQLite every transaction begins IMMEDIATE (settings), so no change commits
while one is open.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from mac.core import generation

T = TypeVar("T")
TTL = 60.0
CHECK_EVERY = 1.0
# The events of configuration changes: each drops this process's entries at
# commit and raises the generation that the other processes check (apps.py).
TOPICS = ("catalog.", "centers.", "core.non_working_day.", "queue.config.")

# Seconds, only differences count: tests put in a clock they move by hand.
clock: Callable[[], float] = time.monotonic

_lock = threading.Lock()
_entries: dict[tuple[str, int], tuple[float, Any]] = {}
_drops = 0  # how many times the entries were dropped
_generation: int | None = None  # the one the entries were loaded under (None: not known)
_checked = -math.inf  # when the generation was last read


def cached(kind: str, key: int, load: Callable[[], T], ttl: float = TTL) -> T:
    now = clock()
    _check(now)
    with _lock:
        hit = _entries.get((kind, key))
        if hit is not None and now - hit[0] < ttl:
            return hit[1]  # type: ignore[no-any-return]
        drops = _drops
    value = load()
    with _lock:
        if drops == _drops:
            _entries[(kind, key)] = (now, value)
    return value


def _check(now: float) -> None:
    """Drop the entries if the generation moved; read it at most once per
    CHECK_EVERY (one thread reads, the others go on meanwhile)."""
    global _checked, _generation
    with _lock:
        if now - _checked < CHECK_EVERY:
            return
        _checked = now
    current = generation.read()
    with _lock:
        if current != _generation:
            _generation = current
            _drop()


def _drop() -> None:
    global _drops
    _entries.clear()
    _drops += 1


def schedule(center_id: int) -> Any:
    """The center with its hours and exceptions loaded (queue and appointments)."""

    def load() -> Any:
        from mac.centers.models import Center

        return Center.objects.prefetch_related("hours", "exceptions").get(pk=center_id)

    return cached("schedule", center_id, load)


def non_working_days() -> dict[dt.date, str]:
    """Every declared non-working day (NonWorkingDay: date -> name). Centers'
    opening rule and appointments read it on their hot paths; the table holds
    a few rows a year."""

    def load() -> dict[dt.date, str]:
        from mac.core.models import NonWorkingDay

        return dict(NonWorkingDay.objects.values_list("date", "name"))

    return cached("non_working_days", 0, load)


def clear(topic: str = "", payload: Any = None) -> None:
    """Drop everything (also the handler of this process's configuration events)."""
    with _lock:
        _drop()


def restart(time_source: Callable[[], float] = time.monotonic) -> None:
    """Start over with no entries, reading the time from `time_source` (tests:
    a clock they move by hand), the generation not known and read first
    CHECK_EVERY from now."""
    global clock, _generation, _checked
    with _lock:
        _drop()
        clock = time_source
        _generation = None
        _checked = time_source()
