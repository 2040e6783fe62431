"""Reads of the queue engine: the snapshot the routing policy and the wait
estimate see, built from the database in a fixed, small number of queries."""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import defaultdict

from django.db.models import Avg, Count

from mac.catalog.models import Service
from mac.centers.models import Center
from mac.queueing import cache
from mac.queueing.estimate import estimate_new, estimate_waiting
from mac.queueing.models import Attention, Counter, ServiceQueueSettings, Ticket
from mac.queueing.policy import CounterInfo, Snapshot, WaitingTicket

# Recent mean service time per (center, service code), refreshed once a minute:
# it moves slowly and call-next is the hot path.
SERVICE_TIME_TTL = 60.0
DEFAULT_SERVICE_SECONDS = 8 * 60.0
_service_time_cache: dict[int, tuple[float, dict[str, float]]] = {}
_cache_lock = threading.Lock()


def service_times(center: Center, now: dt.datetime) -> dict[str, float]:
    """Mean service seconds per service code: the last 7 days of attentions at
    this center (at least 5 of them), else the service's configured duration."""
    with _cache_lock:
        cached = _service_time_cache.get(center.pk)
        if cached and time.monotonic() - cached[0] < SERVICE_TIME_TTL:
            return cached[1]
    times = {
        code: minutes * 60.0
        for code, minutes in ServiceQueueSettings.objects.values_list(
            "service__code", "mean_service_minutes"
        )
    }
    recent = (
        Attention.objects.filter(center=center, ended_at__gte=now - dt.timedelta(days=7))
        .values("service__code")
        .annotate(n=Count("id"), mean=Avg("service_seconds"))
        .order_by()
    )
    for row in recent:
        if row["n"] >= 5 and row["mean"]:
            times[row["service__code"]] = float(row["mean"])
    with _cache_lock:
        _service_time_cache[center.pk] = (time.monotonic(), times)
    return times


def forget_service_times() -> None:
    with _cache_lock:
        _service_time_cache.clear()


def waiting_tickets(center: Center, services: frozenset[str] | None = None) -> list[WaitingTicket]:
    """The center's waiting tickets, or only those of `services` (codes)."""
    waiting = Ticket.objects.filter(center=center, state=Ticket.State.WAITING)
    if services is not None:
        waiting = waiting.filter(service__code__in=services)
    rows = waiting.values_list(
        "id",
        "service__code",
        "entity__acronym",
        "wait_from",
        "issued_at",
        "priority",
        "language",
        "appointment_at",
        "target_wait_seconds",
    )
    return [
        WaitingTicket(
            id=pk,
            service=service,
            entity=entity,
            arrived=wait_from.timestamp(),
            issued=issued.timestamp(),
            priority=priority,
            language=language,
            appointment=appointment.timestamp() if appointment else None,
            target=float(target),
        )
        for pk, service, entity, wait_from, issued, priority, language, appointment, target in rows
    ]


def _skills(center_id: int) -> dict[int, frozenset[str]]:
    skills: dict[int, set[str]] = defaultdict(set)
    through = Counter.services.through.objects.filter(counter__center_id=center_id)
    for counter_id, code in through.values_list("counter_id", "service__code"):
        skills[counter_id].add(code)
    return {pk: frozenset(codes) for pk, codes in skills.items()}


def counter_infos(center: Center, times: dict[str, float]) -> dict[int, CounterInfo]:
    skills = cache.cached("skills", center.pk, lambda: _skills(center.pk))
    rows = Counter.objects.filter(center=center, active=True).values_list(
        "id",
        "entity__acronym",
        "languages",
        "status",
        "current_ticket__service__code",
        "current_ticket__started_at",
        "current_ticket__called_at",
        "free_since",
    )
    infos = {}
    for pk, entity, languages, status, service, started, called, free_since in rows:
        busy_until = None
        if status == Counter.Status.CLOSED:
            state = "closed"
        elif status == Counter.Status.PAUSED:
            state = "break"
        elif service:
            state = "busy"
            since = started or called
            if since is not None:
                busy_until = since.timestamp() + times.get(service, DEFAULT_SERVICE_SECONDS)
        else:
            state = "free"
        infos[pk] = CounterInfo(
            id=str(pk),
            entity=entity,
            services=skills.get(pk, frozenset()),
            languages=frozenset(languages or ["es"]),
            state=state,
            busy_until=busy_until,
            free_since=free_since.timestamp() if state == "free" and free_since else None,
        )
    return infos


def build_snapshot(
    center: Center, now: dt.datetime, *, for_counter: int | None = None
) -> tuple[Snapshot, dict[int, CounterInfo]]:
    """The center's queue as the policy sees it, and its counters by id.

    With `for_counter`, `waiting` holds only the tickets of that counter's
    services: policies choose among the tickets a counter may serve, and a busy
    center's whole queue would cost a round of parsing on every call."""
    times = service_times(center, now)
    counters = counter_infos(center, times)
    skills = counters[for_counter].services if for_counter is not None else None
    snapshot = Snapshot(
        now=now.timestamp(),
        waiting=waiting_tickets(center, skills),
        counters=list(counters.values()),
        service_time=times,
        upcoming=(),  # booked appointments not yet checked in: added with appointments
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

    snapshot, _ = build_snapshot(ticket.center, now)
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
