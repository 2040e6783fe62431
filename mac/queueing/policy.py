"""Routing policies: which waiting ticket a free counter calls next.

A policy is a pure function over plain data with an injected clock: the
server (mac.queueing.actions.call_next) and the simulator (mac.queueing.
simulation) build the same `Snapshot` and call the same `choose`. Times are
seconds on any common origin (epoch seconds on the server, seconds since
midnight in the simulator); durations are seconds.

Policies are chosen per center as data (`PolicyConfig`), like a work
profile: the name of a registered policy plus its parameters.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WaitingTicket:
    id: int
    service: str  # service code
    entity: str  # entity acronym
    arrived: float  # when its wait started: check-in, or max(arrival, slot) for appointments
    issued: float  # when the ticket was issued (queue order among equals)
    priority: bool = False  # Ley 28683 priority attention
    language: str = "es"  # "es", "qu", "lsp", ...
    appointment: float | None = None  # slot start, for appointment holders
    target: float = 900.0  # ANS waiting target of this ticket, seconds


@dataclass(frozen=True)
class CounterInfo:
    id: str
    entity: str
    services: frozenset[str]
    languages: frozenset[str]
    state: str = "free"  # free | busy | break | closed
    busy_until: float | None = None  # expected end of the service under way
    open_until: float | None = None  # end of the current staffed period (break or close)
    opens_at: float | None = None  # start of its next staffed period, when on break/closed
    reopens_at: float | None = None  # when open: start of the staffed period after open_until


@dataclass(frozen=True)
class Snapshot:
    now: float
    waiting: Sequence[WaitingTicket]
    counters: Sequence[CounterInfo]  # every counter of the center, in any state
    service_time: Mapping[str, float] = field(default_factory=dict)  # recent mean, seconds
    upcoming: Sequence[tuple[str, float]] = ()  # (service, slot) booked, not yet checked in
    # The center's closing time: arrivals stop; a counter whose period ends then
    # stays until its queue is empty.
    closes_at: float | None = None


@dataclass(frozen=True)
class PolicyConfig:
    name: str = "mac"
    params: Mapping[str, Any] = field(default_factory=dict)


Policy = Callable[[CounterInfo, Snapshot, Mapping[str, Any]], int | None]

POLICIES: dict[str, Policy] = {}


def register(name: str) -> Callable[[Policy], Policy]:
    def wrap(func: Policy) -> Policy:
        POLICIES[name] = func
        return func

    return wrap


def can_serve(counter: CounterInfo, ticket: WaitingTicket) -> bool:
    return ticket.service in counter.services and ticket.language in counter.languages | {"es"}


def choose(counter: CounterInfo, snapshot: Snapshot, config: PolicyConfig) -> int | None:
    """The id of the ticket `counter` should call now, or None."""
    try:
        policy = POLICIES[config.name]
    except KeyError:
        raise ValueError(f"unknown routing policy {config.name!r}") from None
    return policy(counter, snapshot, config.params)


@register("fifo")
def fifo(counter: CounterInfo, snapshot: Snapshot, params: Mapping[str, Any]) -> int | None:
    """Baseline: the longest-waiting ticket the counter may serve, priority first
    (Qmatic's "longest wait" profile)."""
    mine = [t for t in snapshot.waiting if can_serve(counter, t)]
    if not mine:
        return None
    best = min(mine, key=lambda t: (not t.priority, t.arrived, t.issued, t.id))
    return best.id


# -- The project's own policy ------------------------------------------------

MAC_DEFAULTS: dict[str, Any] = {
    # No starvation: a non-priority ticket that has waited `hard_factor` times
    # its target, or `hard_cap_min` minutes, goes before everyone (priority
    # citizens too), oldest first.
    "hard_factor": 3.0,
    "hard_cap_min": 60.0,
    # The tail: past `soft_factor` times its target a ticket goes before the
    # walk-ins still within their target (after priority and appointments).
    "soft_factor": 1.5,
    # An appointment holder may be called this long before the slot while others
    # wait (and any time before it when the counter would otherwise idle).
    "appointment_lead_min": 1.0,
    # Within target: earliest deadline (arrival + target) first, shifted by
    # `short_weight` times the expected service (short services first) and by
    # `rare_credit_min` for a ticket no other counter could start before its
    # deadline (rare skills and languages).
    "short_weight": 0.5,
    "rare_credit_min": 5.0,
    "default_service_min": 10.0,
}


def mac_params(params: Mapping[str, Any]) -> dict[str, float]:
    merged = {**MAC_DEFAULTS, **params}
    return {k: float(v) for k, v in merged.items()}


def starve_bound(ticket: WaitingTicket, p: Mapping[str, float]) -> float:
    """Seconds after which a non-priority ticket goes before everyone."""
    return min(p["hard_factor"] * ticket.target, p["hard_cap_min"] * 60.0)


def tail_bound(ticket: WaitingTicket, p: Mapping[str, float]) -> float:
    """Seconds after which a ticket goes before those still within target."""
    return min(p["soft_factor"] * ticket.target, starve_bound(ticket, p))


def _free_at(counter: CounterInfo, now: float) -> float:
    """When `counter` could start another service (inf if not today)."""
    if counter.state == "free":
        return now
    if counter.state == "busy":
        end = max(counter.busy_until or now, now)
        if counter.open_until is not None and end >= counter.open_until:
            return counter.reopens_at if counter.reopens_at is not None else math.inf
        return end
    return counter.opens_at if counter.opens_at is not None else math.inf


def _cover_times(
    counter: CounterInfo, snapshot: Snapshot, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], float]:
    """For each (service, language): the earliest time another counter could take it."""
    cover = dict.fromkeys(keys, math.inf)
    for other in snapshot.counters:
        if other.id == counter.id:
            continue
        free_at = _free_at(other, snapshot.now)
        if free_at == math.inf:
            continue
        for key in keys:
            service, language = key
            if (
                free_at < cover[key]
                and service in other.services
                and (language == "es" or language in other.languages)
            ):
                cover[key] = free_at
    return cover


def _oldest(tickets: Sequence[WaitingTicket]) -> int:
    return min(tickets, key=lambda t: (t.arrived, t.issued, t.id)).id


@register("mac")
def mac(counter: CounterInfo, snapshot: Snapshot, params: Mapping[str, Any]) -> int | None:
    """Priority first with a starvation guard, appointments at their slot, a
    bounded tail, then the most tickets within their ANS target (MAC_DEFAULTS)."""
    p = mac_params(params)
    now = snapshot.now
    mine = [t for t in snapshot.waiting if can_serve(counter, t)]
    if not mine:
        return None
    lead = p["appointment_lead_min"] * 60.0
    present = [
        t for t in mine if t.appointment is None or t.priority or t.appointment - lead <= now
    ]
    if not present:  # only appointment holders ahead of their slot: rather than idle
        return min(mine, key=lambda t: (t.appointment or 0.0, t.issued, t.id)).id

    starving = [t for t in present if not t.priority and now - t.arrived >= starve_bound(t, p)]
    if starving:
        return _oldest(starving)
    priority = [t for t in present if t.priority]
    if priority:
        return _oldest(priority)
    appointments = [t for t in present if t.appointment is not None]
    if appointments:
        return _oldest(appointments)
    overdue = [t for t in present if now - t.arrived >= tail_bound(t, p)]
    if overdue:
        return _oldest(overdue)
    on_time = [t for t in present if now - t.arrived < t.target]
    if not on_time:
        return _oldest(present)

    default = p["default_service_min"] * 60.0
    cover = _cover_times(counter, snapshot, {(t.service, t.language) for t in on_time})
    rare = p["rare_credit_min"] * 60.0
    short = p["short_weight"]

    def rank(t: WaitingTicket) -> tuple[float, float, int]:
        deadline = t.arrived + t.target
        score = deadline + short * snapshot.service_time.get(t.service, default)
        if cover[(t.service, t.language)] > deadline:
            score -= rare
        return (score, t.issued, t.id)

    return min(on_time, key=rank).id
