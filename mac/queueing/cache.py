"""Per-process caches of what the hot paths read and rarely changes: a
center's schedule and offers, its queue settings and its counters' skills
(services and, per service, the languages of the active counters that have
it), the declared non-working days (appointments read the schedule and those
days too).

Entries live at most TTL seconds; changes made through the catalog, centers,
core and queue configuration actions (`queueing.actions.save_counter`) drop
them at once in this process when they commit (events), other workers see
them within TTL."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
TTL = 60.0

_lock = threading.Lock()
_entries: dict[tuple[str, int], tuple[float, Any]] = {}


def cached(kind: str, key: int, load: Callable[[], T], ttl: float = TTL) -> T:
    now = time.monotonic()
    with _lock:
        hit = _entries.get((kind, key))
        if hit is not None and now - hit[0] < ttl:
            return hit[1]  # type: ignore[no-any-return]
    value = load()
    with _lock:
        _entries[(kind, key)] = (now, value)
    return value


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
    """Drop everything (also an event handler for catalog and center changes)."""
    with _lock:
        _entries.clear()
