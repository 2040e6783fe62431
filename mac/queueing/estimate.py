"""Estimated wait: how long until a ticket is called, from the live queue.

Pure functions over the same `Snapshot` the routing policy reads. The queue is
replayed forward with expected service times, counters respecting their
breaks; the estimate is when the ticket's own turn comes. Under `fifo` the
order is fixed (list scheduling: tickets in the policy's order, each to the
counter that can serve it and is free first); under any other policy the replay
asks the policy itself whenever a counter is next free, at that moment (a ticket
crosses its tail bound or the day's p95 while it waits), one entity at a time.
No new arrivals are assumed, except booked appointments under `mac` (they come
at their slot).

All results are seconds from `snapshot.now` (the remaining wait).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from mac.queueing.policy import (
    CounterInfo,
    PolicyConfig,
    Snapshot,
    WaitingTicket,
    can_serve,
    choose,
)

NEW_TICKET_ID = -1
# A service that has run past its expected end still needs some time.
OVERRUN_SECONDS = 60.0
DEFAULT_SERVICE = 600.0
UPCOMING_SHOW = 0.94  # share of booked citizens who come (no-shows run 3-8%)


def _fifo_key(t: WaitingTicket) -> tuple[Any, ...]:
    return (not t.priority, t.arrived, t.issued, t.id)


def _start_time(counter: CounterInfo, t: float, closes_at: float | None) -> float:
    """The earliest time >= t at which `counter` may start a service."""
    until = counter.open_until
    if until is None or t < until or (closes_at is not None and until >= closes_at):
        return t
    if counter.reopens_at is not None:
        return max(t, counter.reopens_at)
    return math.inf


def _available(counter: CounterInfo, now: float) -> float:
    if counter.state == "free":
        return now
    if counter.state == "busy":
        return max(counter.busy_until or now, now + OVERRUN_SECONDS)
    return counter.opens_at if counter.opens_at is not None else math.inf


def _schedule(
    snapshot: Snapshot, order: Sequence[WaitingTicket], wanted: set[int]
) -> dict[int, float]:
    """Replay `order` on the counters; the start time of each `wanted` ticket."""
    now = snapshot.now
    counters = [c for c in snapshot.counters if c.state != "closed" or c.opens_at is not None]
    free = [_available(c, now) for c in counters]
    skills = [len(c.services) for c in counters]
    starts: dict[int, float] = {}
    left = len(wanted)
    for ticket in order:
        best, best_start = -1, math.inf
        for i, counter in enumerate(counters):
            if free[i] == math.inf or not can_serve(counter, ticket):
                continue
            start = _start_time(counter, free[i], snapshot.closes_at)
            if start < best_start or (
                start == best_start and best >= 0 and skills[i] < skills[best]
            ):
                best, best_start = i, start
        if ticket.id in wanted:
            starts[ticket.id] = best_start
            left -= 1
            if left == 0:
                break
        if best >= 0:
            duration = snapshot.service_time.get(ticket.service, DEFAULT_SERVICE)
            if ticket.id < NEW_TICKET_ID:  # a booked citizen not yet here: may not come
                duration *= UPCOMING_SHOW
            free[best] = best_start + duration
    return starts


RETRY = 30.0  # a counter whose policy holds back asks again this much later


def _replay(
    snapshot: Snapshot, config: PolicyConfig, tickets: Sequence[WaitingTicket], wanted: set[int]
) -> dict[int, float]:
    """Replay the queue by asking the policy itself whenever a counter is next
    free, with expected service times: the start time of each `wanted` ticket."""
    now = snapshot.now
    closes = snapshot.closes_at
    counters = [c for c in snapshot.counters if c.state != "closed" or c.opens_at is not None]
    free = [_available(c, now) for c in counters]
    waiting = list(tickets)
    starts: dict[int, float] = {}
    left = set(wanted)
    steps = 0
    while left and waiting and steps < 20 * len(tickets) + 100:
        steps += 1
        start_at = [
            _start_time(c, free[i], closes) if free[i] != math.inf else math.inf
            for i, c in enumerate(counters)
        ]
        # The counter free first (the narrower one on a tie) that can serve someone.
        best, best_key = -1, None
        for i, counter in enumerate(counters):
            if start_at[i] == math.inf or not any(can_serve(counter, t) for t in waiting):
                continue
            key = (start_at[i], len(counter.services), counter.id)
            if best_key is None or key < best_key:
                best, best_key = i, key
        if best_key is None:
            break
        at = best_key[0]
        view = []
        for i, counter in enumerate(counters):
            start = start_at[i]
            if start <= at:
                view.append(replace(counter, state="free", busy_until=None, free_since=None))
            else:
                view.append(replace(counter, state="busy", busy_until=start, free_since=None))
        visible = [t for t in waiting if t.issued <= at]
        if not visible:
            free[best] = min(t.issued for t in waiting)
            continue
        moment = replace(snapshot, now=at, waiting=visible, counters=view, upcoming=())
        tid = choose(view[best], moment, config)
        if tid is None:
            free[best] = at + RETRY
            continue
        ticket = next(t for t in visible if t.id == tid)
        waiting.remove(ticket)
        starts[tid] = at
        left.discard(tid)
        duration = snapshot.service_time.get(ticket.service, DEFAULT_SERVICE)
        if ticket.id < NEW_TICKET_ID:
            duration *= UPCOMING_SHOW
        free[best] = at + duration
    return starts


def _starts(
    snapshot: Snapshot, config: PolicyConfig, order: Sequence[WaitingTicket], wanted: set[int]
) -> dict[int, float]:
    if config.name == "fifo":  # its order is fixed: one pass of list scheduling
        return _schedule(snapshot, order, wanted)
    # A counter serves only its entity's services: replay each entity apart.
    entity_of: dict[str, str] = {}
    for counter in snapshot.counters:
        for service in counter.services:
            entity_of.setdefault(service, counter.entity)
    groups: dict[str, list[WaitingTicket]] = {}
    for t in order:
        groups.setdefault(t.entity or entity_of.get(t.service, ""), []).append(t)
    starts: dict[int, float] = {}
    for entity, tickets in groups.items():
        mine = {t.id for t in tickets} & wanted
        if not mine:
            continue
        part = replace(snapshot, counters=[c for c in snapshot.counters if c.entity == entity])
        starts.update(_replay(part, config, tickets, mine))
    return starts


def _queue(snapshot: Snapshot, config: PolicyConfig, extra: Sequence[WaitingTicket] = ()):
    tickets = list(snapshot.waiting) + list(extra)
    if config.name == "mac":
        # Booked citizens not yet checked in take their turn at the slot.
        for n, (service, slot) in enumerate(snapshot.upcoming):
            if slot >= snapshot.now - 600:
                tickets.append(
                    WaitingTicket(
                        id=NEW_TICKET_ID - 1 - n,
                        service=service,
                        entity="",
                        arrived=max(slot, snapshot.now),
                        issued=slot,
                        appointment=slot,
                    )
                )
    if config.name == "fifo":
        tickets.sort(key=_fifo_key)
    return tickets


def estimate_queue(snapshot: Snapshot, config: PolicyConfig | None = None) -> dict[int, float]:
    """Estimated remaining wait, in seconds, of every waiting ticket (inf when no
    counter that can serve it is open or opens again today)."""
    config = config or PolicyConfig()
    ids = {t.id for t in snapshot.waiting}
    starts = _starts(snapshot, config, _queue(snapshot, config), ids)
    return {tid: max(0.0, starts.get(tid, math.inf) - snapshot.now) for tid in ids}


def estimate_waiting(
    snapshot: Snapshot, ticket_id: int, config: PolicyConfig | None = None
) -> float:
    """Estimated remaining wait, in seconds, of one waiting ticket."""
    config = config or PolicyConfig()
    starts = _starts(snapshot, config, _queue(snapshot, config), {ticket_id})
    return max(0.0, starts.get(ticket_id, math.inf) - snapshot.now)


def estimate_new(
    snapshot: Snapshot,
    service: str,
    *,
    entity: str = "",
    priority: bool = False,
    language: str = "es",
    target: float = 900.0,
    appointment: float | None = None,
    config: PolicyConfig | None = None,
) -> float:
    """Estimated wait, in seconds, of a ticket issued now for `service`."""
    config = config or PolicyConfig()
    now = snapshot.now
    ticket = WaitingTicket(
        id=NEW_TICKET_ID,
        service=service,
        entity=entity,
        arrived=now if appointment is None else max(now, appointment),
        issued=now,
        priority=priority,
        language=language,
        appointment=appointment,
        target=target,
    )
    starts = _starts(snapshot, config, _queue(snapshot, config, [ticket]), {NEW_TICKET_ID})
    return max(0.0, starts.get(NEW_TICKET_ID, math.inf) - now)
