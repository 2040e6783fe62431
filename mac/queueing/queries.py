"""Reads of the queue engine: the snapshot the routing policy and the wait
estimate see, built from the database in a fixed, small number of queries."""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import connection

from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core.calendar import today_lima
from mac.queueing import cache
from mac.queueing.estimate import estimate_new, estimate_waiting
from mac.queueing.models import Attention, Counter, ServiceQueueSettings, Ticket
from mac.queueing.policy import (
    HISTORY_WEEKS,
    CounterInfo,
    Snapshot,
    WaitingTicket,
    day_p95,
    past_p95,
)

# Recent mean service time per (center, service code), refreshed once a minute:
# it moves slowly and call-next is the hot path.
SERVICE_TIME_TTL = 60.0
DEFAULT_SERVICE_SECONDS = 8 * 60.0
_service_time_cache: dict[int, tuple[float, dict[str, float]]] = {}
_cache_lock = threading.Lock()


# An attention this many times longer than its service's median is not a
# service time: the advisor left it open (over lunch, overnight). Kept in the
# mean, one such row doubles a week's estimate; under a lognormal with a
# coefficient of variation of 1, 1.5 % of real attentions pass this bound.
OUTLIER_FACTOR = 6


def service_times(center: Center | int, now: dt.datetime) -> dict[str, float]:
    """Mean service seconds per service code: the last 7 days of attentions at
    this center (at least 5 of them, leaving out unrecorded ones and those
    over OUTLIER_FACTOR times the service's median), else the service's
    configured duration. Read at most once a minute per center: while one
    thread reads them again, the others keep the previous ones."""
    center_id = center if isinstance(center, int) else center.pk
    with _cache_lock:
        cached = _service_time_cache.get(center_id)
        fresh = cached is not None and time.monotonic() - cached[0] < SERVICE_TIME_TTL
        if cached and (fresh or ("times", center_id) in _refreshing):
            return cached[1]
        _refreshing.add(("times", center_id))
    try:
        times = {
            code: minutes * 60.0
            for code, minutes in ServiceQueueSettings.objects.values_list(
                "service__code", "mean_service_minutes"
            )
        }
        times.update(_recent_means(center_id, now - dt.timedelta(days=7)))
        with _cache_lock:
            _service_time_cache[center_id] = (time.monotonic(), times)
    finally:
        with _cache_lock:
            _refreshing.discard(("times", center_id))
    return times


# The (cache, center) entries a thread is reading again; meanwhile the other
# threads keep the previous value instead of all reading it at once.
_refreshing: set[tuple[str, int]] = set()

# PostgreSQL computes the medians itself: the rows stay in the database and
# the reading thread waits without holding Python's lock (a busy center's
# week is ~12,000 attentions; read into Python they took 12-17 ms of it).
_RECENT_MEANS_SQL = """
WITH recent AS (
    SELECT a.service_id, a.service_seconds FROM {attention} a
    WHERE a.center_id = %s AND a.ended_at >= %s AND a.outcome <> %s
), medians AS (
    SELECT service_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY service_seconds) AS median
    FROM recent GROUP BY service_id
)
SELECT s.code, COUNT(*), AVG(r.service_seconds)
FROM recent r
JOIN medians m ON m.service_id = r.service_id
JOIN {service} s ON s.id = r.service_id
WHERE r.service_seconds <= %s * m.median
GROUP BY s.code
"""


def _recent_means(center_id: int, since: dt.datetime) -> dict[str, float]:
    """`plausible_mean` of each service's attentions at the center since then."""
    unrecorded = Attention.Outcome.UNRECORDED
    if connection.vendor == "postgresql":
        sql = _RECENT_MEANS_SQL.format(
            attention=Attention._meta.db_table, service=Service._meta.db_table
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [center_id, since, unrecorded.value, OUTLIER_FACTOR])
            rows = cursor.fetchall()
        return {code: float(mean) for code, n, mean in rows if n >= MIN_ATTENTIONS and mean}
    recent = (
        Attention.objects.filter(center_id=center_id, ended_at__gte=since)
        .exclude(outcome=unrecorded)
        .values_list("service__code", "service_seconds")
    )
    by_service: dict[str, list[int]] = defaultdict(list)
    for code, duration in recent.iterator(chunk_size=5000):
        by_service[code].append(duration)
    means = {code: plausible_mean(durations) for code, durations in by_service.items()}
    return {code: mean for code, mean in means.items() if mean is not None}


MIN_ATTENTIONS = 5


def plausible_mean(seconds: list[int], *, least: int = MIN_ATTENTIONS) -> float | None:
    """The mean of the durations no longer than OUTLIER_FACTOR times their
    median, when at least `least` of them are left (else None)."""
    if not seconds:
        return None
    bound = OUTLIER_FACTOR * statistics.median(seconds)
    kept = [s for s in seconds if s <= bound]
    if len(kept) < least or not any(kept):
        return None
    return sum(kept) / len(kept)


def forget_service_times() -> None:
    with _cache_lock:
        _service_time_cache.clear()
        _upcoming_cache.clear()
        _wait_p95_cache.clear()
        _history_cache.clear()


# The 95th percentile of today's waits at a center (`Snapshot.wait_p95`): it
# moves slowly, so it is read at most once a minute per center.
WAIT_P95_TTL = 60.0
_wait_p95_cache: dict[int, tuple[float, dt.date, float | None]] = {}


def wait_p95(center_id: int, now: dt.datetime) -> float | None:
    """Seconds: the 95th percentile of the waits of the tickets called today (Lima)
    at the center, from their `wait_from` to their call (`policy.day_p95`)."""
    today = today_lima(now)
    with _cache_lock:
        cached = _wait_p95_cache.get(center_id)
        if cached and cached[1] == today:
            fresh = time.monotonic() - cached[0] < WAIT_P95_TTL
            if fresh or ("p95", center_id) in _refreshing:
                return cached[2]
        _refreshing.add(("p95", center_id))
    try:
        rows = Ticket.objects.filter(center_id=center_id, day=today, called_at__isnull=False)
        waits = sorted(
            max(0.0, (called - wait_from).total_seconds())
            for wait_from, called in rows.values_list("wait_from", "called_at")
            if called is not None
        )
        value = day_p95(waits)
        with _cache_lock:
            _wait_p95_cache[center_id] = (time.monotonic(), today, value)
    finally:
        with _cache_lock:
            _refreshing.discard(("p95", center_id))
    return value


# The past weeks' p95 (`Snapshot.wait_p95_history`) is fixed for the day: read
# once per center and day. The first calls of the day wait for the one thread
# that reads it (four weeks of tickets) instead of all reading it at once.
_history_cache: dict[int, tuple[dt.date, float | None]] = {}
_history_locks: dict[int, threading.Lock] = {}


def wait_p95_history(center_id: int, now: dt.datetime) -> float | None:
    """Seconds: the mean of the final p95 waits (`policy.day_p95`) at the center
    on the same weekday in each of the last HISTORY_WEEKS weeks, over the weeks
    with enough calls (None: none had)."""
    today = today_lima(now)
    with _cache_lock:
        cached = _history_cache.get(center_id)
        reading = _history_locks.setdefault(center_id, threading.Lock())
    if cached and cached[0] == today:
        return cached[1]
    with reading:
        with _cache_lock:
            cached = _history_cache.get(center_id)
        if cached and cached[0] == today:  # another thread read it meanwhile
            return cached[1]
        return _read_history(center_id, today)


def _read_history(center_id: int, today: dt.date) -> float | None:
    days = [today - dt.timedelta(weeks=n) for n in range(1, HISTORY_WEEKS + 1)]
    rows = Ticket.objects.filter(center_id=center_id, day__in=days, called_at__isnull=False)
    by_day: dict[dt.date, list[float]] = {}
    for day, wait_from, called in rows.values_list("day", "wait_from", "called_at"):
        if called is not None:
            by_day.setdefault(day, []).append(max(0.0, (called - wait_from).total_seconds()))
    value = past_p95(day_p95(sorted(waits)) for waits in by_day.values())
    with _cache_lock:
        _history_cache[center_id] = (today, value)
    return value


# Booked citizens not yet arrived change slowly; read them at most every
# UPCOMING_TTL seconds per center (a check-in forgets its center's entry).
UPCOMING_TTL = 10.0
_upcoming_cache: dict[int, tuple[float, tuple[tuple[str, float], ...]]] = {}


def upcoming_appointments(center_id: int, now: dt.datetime) -> tuple[tuple[str, float], ...]:
    """(service code, slot epoch) of the center's bookings near now that have
    not checked in: `Snapshot.upcoming` for the policy and the estimates."""
    from mac.appointments.queries import upcoming_for_queue

    with _cache_lock:
        cached = _upcoming_cache.get(center_id)
    if cached and time.monotonic() - cached[0] < UPCOMING_TTL:
        return cached[1]
    value = upcoming_for_queue(center_id, now)
    with _cache_lock:
        _upcoming_cache[center_id] = (time.monotonic(), value)
    return value


def books_appointments(center: Center, service: Service) -> bool:
    """Whether the center gives appointments for the service (the kiosk's
    refusal of a walk-in says where a citizen can have one)."""
    from mac.appointments.queries import center_books_service

    return center_books_service(center, service)


def forget_upcoming(center_id: int) -> None:
    with _cache_lock:
        _upcoming_cache.pop(center_id, None)


@functools.cache
def _snapshot_sql(vendor: str) -> tuple[str, str]:
    """The snapshot's two queries (waiting tickets, counters) for this database.

    The snapshot is read on every call-next: plain SQL, values only (the ORM's
    query building and model instances cost more than the queries themselves).
    PostgreSQL gives times as epoch seconds (float8: no datetimes to parse);
    elsewhere (SQLite) they are read as stored."""

    def epoch(column: str) -> str:
        return f"extract(epoch from {column})::float8" if vendor == "postgresql" else column

    waiting = f"""
        SELECT t.id, s.code, e.acronym, {epoch("t.wait_from")}, {epoch("t.issued_at")},
               t.priority, t.language, {epoch("t.appointment_at")}, t.target_wait_seconds
        FROM queueing_ticket t
        JOIN catalog_service s ON s.id = t.service_id
        JOIN catalog_entity e ON e.id = t.entity_id
        WHERE t.center_id = %s AND t.state = 'waiting'"""
    counters = f"""
        SELECT c.id, e.acronym, c.languages, c.status, s.code,
               {epoch("COALESCE(t.started_at, t.called_at)")}, {epoch("c.free_since")}
        FROM queueing_counter c
        JOIN catalog_entity e ON e.id = c.entity_id
        LEFT JOIN queueing_ticket t ON t.id = c.current_ticket_id
        LEFT JOIN catalog_service s ON s.id = t.service_id
        WHERE c.center_id = %s AND c.active
        ORDER BY c.number"""
    return waiting, counters


def _epoch(value: float | dt.datetime | str | None) -> float | None:
    """Epoch seconds of a time read by the snapshot's queries: a float on
    PostgreSQL; on SQLite naive UTC, a datetime (text for an expression)."""
    if value is None or isinstance(value, float):
        return value
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


def _at(value: float | dt.datetime | str) -> float:
    epoch = _epoch(value)
    assert epoch is not None  # a column that is never null
    return epoch


def waiting_tickets(
    center: Center | int, services: Collection[int] | None = None
) -> list[WaitingTicket]:
    """The center's waiting tickets, or only those of `services` (ids)."""
    params = [center if isinstance(center, int) else center.pk]
    where = ""
    if services is not None:
        if not services:
            return []
        where = f" AND t.service_id IN ({', '.join(['%s'] * len(services))})"
        params += sorted(services)
    with connection.cursor() as cursor:
        sql = _snapshot_sql(connection.vendor)[0]
        cursor.execute(f"{sql}{where} ORDER BY t.issued_at, t.id", params)
        rows = cursor.fetchall()
    return [
        WaitingTicket(
            id=pk,
            service=service,
            entity=entity,
            arrived=_at(wait_from),
            issued=_at(issued),
            priority=bool(priority),
            language=language,
            appointment=_epoch(appointment),
            target=float(target),
        )
        for pk, service, entity, wait_from, issued, priority, language, appointment, target in rows
    ]


@dataclass(frozen=True)
class _Skills:
    codes: dict[int, frozenset[str]]  # counter id: codes of the services it serves
    ids: dict[int, frozenset[int]]  # counter id: their ids
    # Services that at least one active (habilitado) counter serves. `codes`
    # and `ids` keep disabled counters too: the snapshot reads only active
    # ones, and a disabled counter has nobody signed in to call for it.
    staffed: frozenset[int] = frozenset()
    # Each staffed service: the languages its active counters serve it in
    # (Spanish always: every counter speaks it, `policy.can_serve`).
    languages: dict[int, frozenset[str]] = field(default_factory=dict)


def _skills(center_id: int, *, without: int | None = None) -> _Skills:
    """The skills of the center's counters, leaving out counter `without`
    (what the others cover, `actions.save_counter`): one query."""
    codes: dict[int, set[str]] = defaultdict(set)
    ids: dict[int, set[int]] = defaultdict(set)
    languages: dict[int, set[str]] = defaultdict(set)
    through = Counter.services.through.objects.filter(counter__center_id=center_id)
    if without is not None:
        through = through.exclude(counter_id=without)
    for counter_id, service_id, code, active, spoken in through.values_list(
        "counter_id", "service_id", "service__code", "counter__active", "counter__languages"
    ):
        codes[counter_id].add(code)
        ids[counter_id].add(service_id)
        if active:
            languages[service_id].update(spoken or (), ("es",))
    return _Skills(
        codes={pk: frozenset(c) for pk, c in codes.items()},
        ids={pk: frozenset(i) for pk, i in ids.items()},
        staffed=frozenset(languages),
        languages={pk: frozenset(spoken) for pk, spoken in languages.items()},
    )


def _center_skills(center_id: int) -> _Skills:
    return cache.cached("skills", center_id, lambda: _skills(center_id))


def staffed_services(center_id: int) -> frozenset[int]:
    """Ids of the services some active counter of the center has among its
    skills, whether or not an advisor is signed in now. Per-process cached
    with the counters' skills: no statement on the issue path once warm; a
    counter saved through `actions.save_counter` (skills, languages, active
    flag) or a catalog or center change drops it in this process at commit
    (`cache.clear`), and in the other workers at their next check of the
    configuration generation, within about `cache.CHECK_EVERY`."""
    return _center_skills(center_id).staffed


def counter_infos(center: Center | int, times: dict[str, float]) -> dict[int, CounterInfo]:
    center_id = center if isinstance(center, int) else center.pk
    skills = _center_skills(center_id).codes
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql(connection.vendor)[1], [center_id])
        rows = cursor.fetchall()
    infos = {}
    for pk, entity, languages, status, service, since, free_since in rows:
        busy_until = None
        if status == Counter.Status.CLOSED:
            state = "closed"
        elif status == Counter.Status.PAUSED:
            state = "break"
        elif service:
            state = "busy"
            started = _epoch(since)  # the service's start, else its call
            if started is not None:
                busy_until = started + times.get(service, DEFAULT_SERVICE_SECONDS)
        else:
            state = "free"
        infos[pk] = CounterInfo(
            id=str(pk),
            entity=entity,
            services=skills.get(pk, frozenset()),
            languages=frozenset(_languages(languages)),
            state=state,
            busy_until=busy_until,
            free_since=_epoch(free_since) if state == "free" else None,
        )
    return infos


def serving_languages(center_id: int, service_id: int) -> frozenset[str]:
    """The languages in which the center's active counters serve the service
    (empty: none has it), whether or not an advisor is signed in now
    (advisors come and go during the day). Every counter speaks Spanish (see
    `policy.can_serve`). Read from the cached skills, as `staffed_services`
    is, and dropped with them: no statement once warm; other workers see a
    counter's new languages within about `cache.CHECK_EVERY`."""
    return _center_skills(center_id).languages.get(service_id, frozenset())


def serving_without(center_id: int, counter_id: int) -> dict[int, frozenset[str]]:
    """Each service some other active counter of the center has: the
    languages they serve it in (as `serving_languages`). Read now, not from
    the cache: a counter's change is checked against it
    (`actions.save_counter`)."""
    return _skills(center_id, without=counter_id).languages


@functools.lru_cache(maxsize=256)
def _languages(text: str | None) -> tuple[str, ...]:
    """A counter's languages from their JSON text (few distinct values)."""
    return tuple((json.loads(text) if text else None) or ["es"])


def build_snapshot(
    center: Center | int, now: dt.datetime, *, for_counter: int | None = None
) -> tuple[Snapshot, dict[int, CounterInfo]]:
    """The center's (or center id's) queue as the policy sees it, and its
    counters by id: two queries (the slow-changing parts are cached).

    With `for_counter`, `waiting` holds only the tickets of that counter's
    services: policies choose among the tickets a counter may serve, and a busy
    center's whole queue would cost a round of parsing on every call."""
    center_id = center if isinstance(center, int) else center.pk
    times = service_times(center_id, now)
    counters = counter_infos(center_id, times)
    skills = None
    if for_counter is not None:
        skills = _center_skills(center_id).ids.get(for_counter, frozenset())
    snapshot = Snapshot(
        now=now.timestamp(),
        waiting=waiting_tickets(center_id, skills),
        counters=list(counters.values()),
        service_time=times,
        upcoming=upcoming_appointments(center_id, now),
        wait_p95=wait_p95(center_id, now),
        wait_p95_history=wait_p95_history(center_id, now),
    )
    return snapshot, counters


def _seconds(value: float) -> int | None:
    return None if math.isinf(value) else max(0, round(value))


def estimated_wait(ticket: Ticket, now: dt.datetime) -> int | None:
    """Seconds until this waiting ticket is likely called (None: no open
    counter can serve it, or it is not waiting)."""
    if ticket.state != Ticket.State.WAITING:
        return None
    from mac.queueing.actions import queue_config

    snapshot, _ = build_snapshot(ticket.center_id, now)
    return _seconds(estimate_waiting(snapshot, ticket.pk, queue_config(ticket.center_id)))


def estimated_wait_new(
    center: Center,
    service: Service,
    now: dt.datetime,
    *,
    priority: bool = False,
    language: str = "es",
) -> int | None:
    """Seconds a ticket issued now would likely wait (None: no open counter can
    serve that service in that language)."""
    from mac.queueing.actions import queue_config, queue_settings

    snapshot, _ = build_snapshot(center, now)
    settings = queue_settings(service)
    value = estimate_new(
        snapshot,
        service.code,
        entity=service.entity.acronym,
        priority=priority,
        language=language,
        target=settings.target_wait_minutes * 60.0,
        config=queue_config(center.pk),
    )
    return _seconds(value)
