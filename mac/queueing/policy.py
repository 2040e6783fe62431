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
from collections.abc import Callable, Iterable, Mapping, Sequence
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
    # When a free counter last became free (None: unknown). A counter's advisor
    # presses "call next"; one free for long may be away without pausing, so
    # others stop leaving tickets to it (`defer_idle_max_s`). The server may
    # refresh it on any sign the advisor is there (a "call next" that found
    # nothing, a heartbeat of the counter's screen): a present advisor then
    # keeps the tickets only it and wider counters can take.
    free_since: float | None = None


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
    # The 95th percentile of the waits of the tickets called so far today at
    # the center (`day_p95`; None: fewer than P95_MIN_CALLED calls yet).
    wait_p95: float | None = None
    # The day's final p95 wait at the center on the same weekday in past weeks
    # (`queries.wait_p95_history`; the simulator replays past days of the same
    # scenario): known from the opening, while `wait_p95` still rises.
    wait_p95_history: float | None = None


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
    # A free counter with fewer skills is left the tickets it can take only
    # while it has been free for at most `defer_idle_max_s` seconds (or its
    # `free_since` is unknown): its advisor may be away without pausing.
    "defer_idle_max_s": 60.0,
    # Priority citizens (Ley 28683) go first, always: like fifo, the others'
    # waits are bounded as long as priority citizens alone do not fill the
    # counters. No starvation among the rest: a ticket that has waited
    # `starve_factor` times its target, or `starve_cap_min` minutes, goes
    # before every other non-priority ticket, oldest first.
    "starve_factor": 6.0,
    "starve_cap_min": 90.0,
    # Priority citizens among themselves: oldest first, a short service moving
    # `priority_short` seconds ahead per second of expected service, and one
    # that fewer open counters can serve counting as up to
    # `priority_scarce_min` older (the others will soon be called elsewhere).
    "priority_short": 6.0,
    "priority_scarce_min": 20.0,
    # The tail: past min(tail_factor x target, target + tail_extra_min) a ticket
    # goes before the tickets still within their target; among such tickets,
    # those that can still be kept under the day's p95 wait (`tail_level`
    # times `Snapshot.wait_p95`) go first, oldest first. A ticket already past
    # that level no longer moves the p95: it waits behind them and behind the
    # rescues (tickets about to miss their target), unless it has waited
    # `tail_lost_cap` times the level (bounds the maximum wait). The p95 so far
    # is taken as at least `tail_history` times the final p95 of past weeks
    # (`Snapshot.wait_p95_history`; 0: today's alone): on a day whose p95 keeps
    # rising, a ticket past the morning's p95 still moves the final one.
    "tail_factor": 3.0,
    "tail_extra_min": 7.0,
    "tail_level": 1.0,
    "tail_lost_cap": 2.0,
    "tail_history": 1.0,
    # Appointment holders are not called more than this ahead of the slot while
    # others wait (any time when the counter would otherwise idle); after that
    # they compete with the appointments' own (short) target, moving
    # `appointment_credit_min` ahead among the tickets about to miss theirs.
    "appointment_lead_min": 4.0,
    "appointment_credit_min": 8.0,
    # ...and up to `appointment_early_min` ahead of the slot when this is their
    # last chance: no other counter that can serve them, nor this one after
    # one more service, would be free before `appointment_early_margin_min`
    # ahead of the slot plus their target.
    "appointment_early_min": 10.0,
    "appointment_early_margin_min": 3.0,
    # From `appointment_due_min` minutes before the slot (0: at the slot), a
    # holder is due for rescue whatever their slack: each minute past the slot
    # risks their leaving (a holder's patience runs from the slot) and their
    # target is short. Negative: later than the slot.
    "appointment_due_min": 0.0,
    # A ticket within its target is rescued (earliest deadline first) when its
    # slack is below `urgency` times its next chance (another counter free, or
    # this one after serving the oldest ticket instead) plus
    # `urgency_margin_min`; otherwise the oldest ticket goes first.
    "urgency": 1.0,
    "urgency_margin_min": 2.0,
    # No rescue while any ticket is `rescue_late_max_min` past its target (off
    # by default; 0 keeps p95 at fifo's at the cost of about half the gain
    # within target: a per-center trade-off, docs/performance.md).
    "rescue_late_max_min": 999.0,
    # Among rescues: a short service moves `short_weight` s ahead per second of
    # expected service; one no other counter can start before its deadline
    # moves `rare_credit_min` ahead; one that a counter with fewer skills will
    # be free for within `narrow_horizon_min` moves `narrow_penalty_min` back.
    "short_weight": 0.5,
    "rare_credit_min": 5.0,
    "narrow_penalty_min": 15.0,
    "narrow_horizon_min": 10.0,
    # Oldest first, but a ticket that fewer open counters can serve (a rare
    # service or language) counts as up to `scarce_credit_min` older.
    "scarce_credit_min": 40.0,
    "default_service_min": 10.0,
}


# Keys of a center's queue params that are no policy's parameters: the
# display board's notices (mac/screens/queries.py), set in the same admin form.
# Every policy ignores them.
SETTINGS_KEYS = frozenset({"notices"})


def params_errors(name: str, params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with a center's policy and parameters, as (key, problem)
    pairs; problem is "policy" (unknown policy), "unknown" (not a parameter of
    it), "number" or "finite". `fifo` takes none; `mac` the keys of MAC_DEFAULTS;
    both accept SETTINGS_KEYS, which are not parameters."""
    if name not in POLICIES:
        return [(name, "policy")]
    known = MAC_DEFAULTS if name == "mac" else {}
    errors = []
    for key, value in params.items():
        if key in SETTINGS_KEYS:
            continue
        if key not in known:
            errors.append((key, "unknown"))
        elif isinstance(value, bool) or not isinstance(value, int | float):
            errors.append((key, "number"))
        elif not math.isfinite(value):
            errors.append((key, "finite"))
    return errors


def mac_params(params: Mapping[str, Any]) -> dict[str, float]:
    """The `mac` policy's parameters: the defaults, overridden by the center's;
    other keys (SETTINGS_KEYS) are not read."""
    return {k: float(params.get(k, v)) for k, v in MAC_DEFAULTS.items()}


def starve_bound(ticket: WaitingTicket, p: Mapping[str, float]) -> float:
    """Seconds after which a non-priority ticket goes before everyone."""
    return min(p["starve_factor"] * ticket.target, p["starve_cap_min"] * 60.0)


def tail_bound(ticket: WaitingTicket, p: Mapping[str, float]) -> float:
    """Seconds after which a ticket goes before those still within target."""
    return min(
        p["tail_factor"] * ticket.target,
        ticket.target + p["tail_extra_min"] * 60.0,
        starve_bound(ticket, p),
    )


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


def _fewer_skills(a: CounterInfo, b: CounterInfo) -> bool:
    """Whether counter `a` has strictly fewer skills than `b`. Deferral goes only
    to such a counter: between equally skilled counters it would gain nothing,
    and on the server it makes an advisor wait for a colleague's button."""
    return (len(a.services), len(a.languages)) < (len(b.services), len(b.languages))


def _narrower(a: CounterInfo, b: CounterInfo) -> bool:
    """Whether counter `a` has fewer skills than `b` (a strict order)."""
    return (len(a.services), len(a.languages), a.id) < (len(b.services), len(b.languages), b.id)


def _cover_times(
    counter: CounterInfo, snapshot: Snapshot, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float, float]]:
    """For each (service, language): the earliest time another counter could take
    it, and the earliest time a counter with fewer skills could."""
    cover = dict.fromkeys(keys, (math.inf, math.inf))
    for other in snapshot.counters:
        if other.id == counter.id:
            continue
        free_at = _free_at(other, snapshot.now)
        if free_at == math.inf:
            continue
        narrower = _narrower(other, counter)
        for key in keys:
            service, language = key
            if service in other.services and (language == "es" or language in other.languages):
                any_at, narrow_at = cover[key]
                cover[key] = (
                    min(any_at, free_at),
                    min(narrow_at, free_at) if narrower else narrow_at,
                )
    return cover


def _last_chance(
    counter: CounterInfo,
    snapshot: Snapshot,
    tickets: Sequence[WaitingTicket],
    p: Mapping[str, float],
) -> list[WaitingTicket]:
    """Appointment holders among `tickets` due in more than the lead but at
    most `appointment_early_min`, whom nobody could call in time (before their
    slot plus their target, less the margin) unless this counter calls them now."""
    now = snapshot.now
    lead = p["appointment_lead_min"] * 60.0
    early = p["appointment_early_min"] * 60.0
    ahead = [
        t
        for t in tickets
        if t.appointment is not None and not t.priority and lead < t.appointment - now <= early
    ]
    if not ahead:
        return []
    default = p["default_service_min"] * 60.0
    margin = p["appointment_early_margin_min"] * 60.0
    cover = _cover_times(counter, snapshot, {(t.service, t.language) for t in ahead})

    last = []
    for t in ahead:
        elsewhere = cover[(t.service, t.language)][0]
        next_chance = min(elsewhere, now + snapshot.service_time.get(t.service, default))
        if next_chance > (t.appointment or now) + t.target - margin:
            last.append(t)
    return last


def _scarcity(tickets: Sequence[WaitingTicket], snapshot: Snapshot) -> dict[int, float]:
    """Per ticket id: 1 - (open counters that can serve it) / (the most any of
    `tickets` has); 0 for the most widely served."""
    open_now = [c for c in snapshot.counters if c.state in ("free", "busy")]
    servers: dict[tuple[str, str], int] = {}
    for t in tickets:
        key = (t.service, t.language)
        if key not in servers:
            servers[key] = sum(1 for c in open_now if can_serve(c, t))
    most = max(servers.values()) or 1
    return {t.id: 1.0 - servers[(t.service, t.language)] / most for t in tickets}


def _oldest(tickets: Sequence[WaitingTicket], snapshot: Snapshot, credit: float) -> int:
    """Oldest first; a ticket that fewer open counters can serve counts as up to
    `credit` seconds older."""
    if len(tickets) == 1:
        return tickets[0].id
    scarcity = _scarcity(tickets, snapshot)
    return min(tickets, key=lambda t: (t.arrived - credit * scarcity[t.id], t.issued, t.id)).id


P95_MIN_CALLED = 20


def day_p95(waits: Sequence[float]) -> float | None:
    """`Snapshot.wait_p95` from the day's waits so far, sorted (None: too few)."""
    if len(waits) < P95_MIN_CALLED:
        return None
    return waits[int(0.95 * (len(waits) - 1))]


# How many past weeks of the same weekday `Snapshot.wait_p95_history` averages.
HISTORY_WEEKS = 4


def past_p95(finals: Iterable[float | None]) -> float | None:
    """`Snapshot.wait_p95_history` from each past day's final `day_p95` (None:
    too few calls that day, left out); None when no day had enough."""
    known = [v for v in finals if v is not None]
    return sum(known) / len(known) if known else None


def tail_level(snapshot: Snapshot, p: Mapping[str, float]) -> float | None:
    """Seconds: the wait under which a late ticket still moves the day's p95
    (None: not known yet, or the rule is off)."""
    if p["tail_level"] <= 0:
        return None
    today = snapshot.wait_p95
    if snapshot.wait_p95_history is not None and p["tail_history"] > 0:
        past = p["tail_history"] * snapshot.wait_p95_history
        today = past if today is None else max(today, past)
    return None if today is None else p["tail_level"] * today


@register("mac")
def mac(counter: CounterInfo, snapshot: Snapshot, params: Mapping[str, Any]) -> int | None:
    """Priority first, then a starvation guard, appointments near their slot, a
    tail kept under the day's p95, then rescue the tickets about to miss their
    ANS target; rare skills and languages kept for the counters that have them
    (MAC_DEFAULTS)."""
    p = mac_params(params)
    now = snapshot.now
    mine = [t for t in snapshot.waiting if can_serve(counter, t)]
    if not mine:
        return None
    # Leave to a free counter with fewer skills what it can take: it is asked
    # next, and the order is strict, so the narrowest free counter takes it;
    # not to one free for over `defer_idle_max_s` (its advisor may be away).
    idle_max = p["defer_idle_max_s"]
    narrower = [
        o
        for o in snapshot.counters
        if o.state == "free"
        and o.id != counter.id
        and _fewer_skills(o, counter)
        and (o.free_since is None or now - o.free_since <= idle_max)
    ]
    if narrower:
        mine = [t for t in mine if not any(can_serve(o, t) for o in narrower)]
        if not mine:
            return None
    lead = p["appointment_lead_min"] * 60.0
    present = [
        t for t in mine if t.appointment is None or t.priority or t.appointment - lead <= now
    ]
    if len(present) < len(mine):
        present += _last_chance(counter, snapshot, mine, p)
    if not present:  # only appointment holders ahead of their slot: rather than idle
        return min(mine, key=lambda t: (t.appointment or 0.0, t.issued, t.id)).id

    def oldest(tickets: Sequence[WaitingTicket]) -> WaitingTicket:
        return min(tickets, key=lambda t: (t.arrived, t.issued, t.id))

    default = p["default_service_min"] * 60.0
    service_time = snapshot.service_time
    priority = [t for t in present if t.priority]
    if priority:
        short = p["priority_short"]
        credit = p["priority_scarce_min"] * 60.0
        scarcity = _scarcity(priority, snapshot) if len(priority) > 1 else {}

        def turn(t: WaitingTicket) -> tuple[float, int]:
            expected = service_time.get(t.service, default)
            return (t.arrived + short * expected - credit * scarcity.get(t.id, 0.0), t.id)

        return min(priority, key=turn).id
    starving = [t for t in present if now - t.arrived >= starve_bound(t, p)]
    if starving:
        return oldest(starving).id

    scarce = p["scarce_credit_min"] * 60.0
    overdue = [t for t in present if now - t.arrived >= tail_bound(t, p)]
    fallback = present  # whom to call, oldest first, when no rescue is due
    if overdue:
        level = tail_level(snapshot, p)
        if level is not None:
            lost = [t for t in overdue if now - t.arrived >= p["tail_lost_cap"] * level]
            if lost:
                return _oldest(lost, snapshot, scarce)
            savable = [t for t in overdue if now - t.arrived < level]
            if savable:
                return _oldest(savable, snapshot, scarce)
            # The rest are past the level: they no longer move the day's p95,
            # so a ticket about to miss its target is rescued before them.
            fallback = overdue
        else:
            return _oldest(overdue, snapshot, scarce)
    on_time = [t for t in present if now - t.arrived < t.target]
    if not on_time:
        return _oldest(fallback, snapshot, scarce)

    cover = _cover_times(counter, snapshot, {(t.service, t.language) for t in on_time})
    margin = p["urgency_margin_min"] * 60.0
    # Without a rescue this counter calls the oldest ticket and is free again
    # after that one's service: a ticket that can wait that long is no rescue.
    oldest_id = _oldest(fallback, snapshot, scarce)
    oldest_service = next(t.service for t in fallback if t.id == oldest_id)
    here = service_time.get(oldest_service, default)

    def chance(t: WaitingTicket) -> float:
        """Seconds until t could be called elsewhere, or here after the oldest."""
        return min(cover[(t.service, t.language)][0] - now, here)

    due = p["appointment_due_min"] * 60.0

    def is_urgent(t: WaitingTicket) -> bool:
        if t.appointment is not None and now >= t.appointment - due:
            return True
        return t.arrived + t.target - now <= p["urgency"] * chance(t) + margin

    urgent = [t for t in on_time if is_urgent(t)]
    if not urgent:
        return oldest_id
    # Do no harm (off by default): no rescue while a ticket is this late.
    if any(now - t.arrived - t.target >= p["rescue_late_max_min"] * 60.0 for t in present):
        return oldest_id

    rare = p["rare_credit_min"] * 60.0
    penalty = p["narrow_penalty_min"] * 60.0
    horizon = p["narrow_horizon_min"] * 60.0
    booked = p["appointment_credit_min"] * 60.0

    def rank(t: WaitingTicket) -> tuple[float, float, int]:
        deadline = t.arrived + t.target
        score = deadline + p["short_weight"] * service_time.get(t.service, default)
        any_at, narrow_at = cover[(t.service, t.language)]
        if any_at > deadline:
            score -= rare
        if narrow_at <= min(now + horizon, deadline):
            score += penalty
        if t.appointment is not None:
            score -= booked
        return (score, t.issued, t.id)

    return min(urgent, key=rank).id
