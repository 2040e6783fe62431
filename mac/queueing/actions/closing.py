"""Closing days: tickets still waiting are abandoned, and what a past day
left open at the counters is closed (`mac worker` runs `close_past_days`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from mac.centers.models import Center
from mac.core import audit, rows
from mac.core.calendar import LIMA, today_lima
from mac.queueing.actions._shared import (
    _audit,
    _lock_ticket_at_counter,
    _now,
    _publish,
    _record_attention,
    _release,
    _transition,
)
from mac.queueing.actions.sessions import sign_out
from mac.queueing.errors import Conflict
from mac.queueing.models import Attention, Counter, Ticket


@transaction.atomic
def abandon_waiting(
    center: Center, *, before: dt.date | None = None, now: dt.datetime | None = None
) -> int:
    """Tickets still waiting are marked abandoned: all of the center's, or only
    those of the days before `before`. How many."""
    now = _now(now)
    count = 0
    waiting = Ticket.objects.select_for_update().filter(center=center, state=Ticket.State.WAITING)
    if before is not None:
        waiting = waiting.filter(day__lt=before)
    for ticket in waiting.order_by("id"):
        ticket.ended_at = now
        history = _transition(ticket, Ticket.State.ABANDONED, now, by=None)
        changed = rows.update(ticket, ["state", "ended_at"])
        _publish(ticket, "ticket.abandoned", along=[history, changed])
        count += 1
    if count:
        audit.record("queue.center.abandoned", center, count=count)
    return count


@dataclass(frozen=True)
class DayClosed:
    """What `close_past_days` did: tickets abandoned; tickets a counter still
    held, closed as no-shows (called) or unrecorded attentions (serving);
    counters signed out; counters left open because their advisor holds a
    ticket of today."""

    abandoned: int = 0
    no_shows: int = 0
    unrecorded: int = 0
    signed_out: int = 0
    left_busy: int = 0


@transaction.atomic
def _close_left_open(ticket_id: int, today: dt.date, now: dt.datetime) -> str | None:
    """A past day's ticket still held by its counter (the advisor left without
    ending it): a called one becomes a no-show, a served one a done ticket with
    an "unrecorded" attention that ends when it started. Its end is unknown,
    and a night-long attention would inflate the service times that estimates
    and routing read. The new state, or None when it was ended meanwhile."""
    try:
        counter, ticket = _lock_ticket_at_counter(Ticket(pk=ticket_id), None)
    except Conflict:
        return None
    if ticket.day >= today:
        return None
    outcome: str
    if ticket.state == Ticket.State.SERVING and ticket.started_at is not None:
        advisor = ticket.advisor or counter.advisor
        ticket.ended_at = ticket.started_at
        _record_attention(ticket, counter, advisor, ticket.started_at, Attention.Outcome.UNRECORDED)
        outcome = Attention.Outcome.UNRECORDED
        state, event, action = Ticket.State.DONE, "ticket.done", "queue.ticket.finished"
    elif ticket.state == Ticket.State.CALLED:
        ticket.ended_at = ticket.called_at
        outcome = "day_closed"
        state, event, action = Ticket.State.NO_SHOW, "ticket.no_show", "queue.ticket.no_show"
    else:  # a counter never holds an ended ticket
        return None
    along = [
        _transition(ticket, state, now, by=None, note=outcome),
        rows.update(ticket, ["state", "ended_at"]),
        _release(counter, now),
        _audit(action, ticket, by=None, outcome=outcome),
    ]
    _publish(ticket, event, along=along, outcome=outcome)
    return state


def close_past_days(now: dt.datetime | None = None) -> DayClosed:
    """Close what a past day (Lima) left open, in every center: nobody waits
    overnight, so its tickets still waiting are abandoned (else the first call
    of the morning would go to them, and estimates and boards would count
    them); tickets still held by a counter are closed (`_close_left_open`);
    advisors' sessions begun on a past day are signed out (else their counters
    would count as free capacity before anyone arrives). Each center, ticket
    and counter in its own transaction; running it again changes nothing."""
    now = _now(now)
    today = today_lima(now)
    midnight = dt.datetime.combine(today, dt.time(0), tzinfo=LIMA)
    counts = dict.fromkeys(("abandoned", "no_shows", "unrecorded", "signed_out", "left_busy"), 0)
    # Center by center: each read goes through the (center, state) index, where
    # one query on the state alone would scan every ticket ever issued.
    for center in Center.objects.order_by("pk"):
        counts["abandoned"] += abandon_waiting(center, before=today, now=now)
    held = Counter.objects.filter(current_ticket__day__lt=today).order_by("pk")
    for ticket_id in held.values_list("current_ticket_id", flat=True):
        state = _close_left_open(ticket_id, today, now)
        if state == Ticket.State.NO_SHOW:
            counts["no_shows"] += 1
        elif state == Ticket.State.DONE:
            counts["unrecorded"] += 1
    open_since_yesterday = Counter.objects.filter(
        advisor__isnull=False, sessions__ended_at=None, sessions__started_at__lt=midnight
    ).order_by("pk")
    for counter in open_since_yesterday:
        try:
            sign_out(counter, by=None, now=now)
        except Conflict:  # it holds a ticket of today: its advisor is there
            counts["left_busy"] += 1
        else:
            counts["signed_out"] += 1
    return DayClosed(**counts)
