"""Calling and serving at a counter: call the next ticket, recall it, mark
it a no-show, start, finish or transfer its attention."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from mac.catalog.models import Service
from mac.core import rows
from mac.queueing import cache, policy
from mac.queueing.actions._shared import (
    _audit,
    _check_no_open_ticket,
    _check_offered,
    _check_operator,
    _for_update,
    _history,
    _lock_counter,
    _lock_ticket_at_counter,
    _new_ticket,
    _not_theirs,
    _now,
    _publish,
    _record_attention,
    _release,
    _require,
    _serves_at,
    _transition,
)
from mac.queueing.actions.issuing import check_language, check_staffed
from mac.queueing.errors import Conflict, Invalid
from mac.queueing.models import Attention, CenterQueue, Counter, Source, Ticket
from mac.queueing.queries import build_snapshot


@transaction.atomic
def call_next(counter: Counter, *, by: Any, now: dt.datetime | None = None) -> Ticket | None:
    """Call the ticket the center's policy chooses for this counter, or None
    when nobody this counter may serve is waiting.

    Counters of a center choose in parallel: each locks only its own row, and
    claims its choice by locking the ticket row (skipping it if another
    counter holds it) and checking that it still waits."""
    now = _now(now)
    counter = _lock_counter(counter)
    _check_operator(counter, by)
    if by is not None and not _serves_at(by, counter):
        # Moved to another entity or center (or another role) while signed in.
        raise _not_theirs(counter)
    if not counter.active:
        raise Conflict(
            _("El %(counter)s está deshabilitado.") % {"counter": counter.label},
            code="counter_inactive",
        )
    if counter.status == Counter.Status.PAUSED:
        raise Conflict(
            _("El %(counter)s está en pausa.") % {"counter": counter.label}, code="paused"
        )
    if counter.current_ticket_id:
        current = Ticket.objects.only("code").get(pk=counter.current_ticket_id)
        raise Conflict(
            _("El %(counter)s ya tiene el ticket %(code)s en curso.")
            % {"counter": counter.label, "code": current.code},
            code="busy",
        )
    config = queue_config(counter.center_id)
    snapshot, counters = build_snapshot(counter.center_id, now, for_counter=counter.id)
    while True:
        chosen = policy.choose(counters[counter.id], snapshot, config)
        if chosen is None:
            # The advisor is here and idle: other counters may leave tickets to it.
            counter.free_since = now
            counter.save(update_fields=["free_since"])
            return None
        # Skip a ticket another counter holds right now, or took since the
        # snapshot: that counter made progress, so this loop ends.
        ticket = _claim(chosen, counter, by, now)
        if ticket is not None:
            break
        snapshot = replace(snapshot, waiting=[t for t in snapshot.waiting if t.id != chosen])
    ticket.counter = counter
    ticket.advisor = by
    counter.current_ticket = ticket
    along = [
        _history(ticket, now, by=by),
        rows.update(counter, ["current_ticket"]),
        _audit("queue.ticket.called", ticket, by=by, counter=counter.number),
    ]
    _publish(ticket, "ticket.called", along=along, counter_label=counter.label)
    return ticket


_CLAIM_SQL = """
UPDATE queueing_ticket SET state = %s, called_at = %s, counter_id = %s, advisor_id = %s
WHERE id = (
    SELECT id FROM queueing_ticket WHERE id = %s AND state = %s
    AND service_id IN (SELECT service_id FROM {skills} WHERE counter_id = %s){lock}
)
RETURNING {columns}
"""


def _claim(ticket_id: int, counter: Counter, by: Any, now: dt.datetime) -> Ticket | None:
    """Mark the ticket called by this counter if it still waits for one of the
    counter's services, and return it; None when another counter holds its
    row (SKIP LOCKED), took it, or it was moved to a service this counter
    does not serve since the snapshot (`change_service`). One statement: the
    subquery locks the row and rechecks it."""
    sql = _CLAIM_SQL.format(
        skills=connection.ops.quote_name(Counter.services.through._meta.db_table),
        lock=_for_update(skip_locked=True),
        columns=rows.columns(Ticket),
    )
    params = [
        Ticket.State.CALLED,
        connection.ops.adapt_datetimefield_value(now),
        counter.pk,
        getattr(by, "pk", None),
        ticket_id,
        Ticket.State.WAITING,
        counter.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else rows.read(Ticket, row)


def queue_config(center_id: int) -> policy.PolicyConfig:
    def load() -> policy.PolicyConfig:
        row = CenterQueue.objects.filter(center_id=center_id).values("policy", "params").first()
        if row is None:
            return policy.PolicyConfig()
        return policy.PolicyConfig(name=row["policy"], params=row["params"] or {})

    return cache.cached("config", center_id, load)


@transaction.atomic
def recall(ticket: Ticket, *, by: Any, now: dt.datetime | None = None) -> Ticket:
    now = _now(now)
    counter, ticket = _lock_ticket_at_counter(ticket, by)
    _require(ticket, Ticket.State.CALLED, action=_("volver a llamar"))
    limit = (
        CenterQueue.objects.filter(center_id=ticket.center_id)
        .values_list("recall_limit", flat=True)
        .first()
    )
    limit = 2 if limit is None else limit
    if ticket.recalls >= limit:
        raise Conflict(
            _("El ticket %(code)s ya fue llamado %(times)s veces: márquelo como no presentado.")
            % {"code": ticket.code, "times": limit + 1},
            code="recall_limit",
        )
    ticket.recalls += 1
    along = [
        rows.update(ticket, ["recalls"]),
        _history(ticket, now, by=by, note=f"recall {ticket.recalls}"),
        _audit("queue.ticket.recalled", ticket, by=by, recalls=ticket.recalls),
    ]
    _publish(
        ticket,
        "ticket.recalled",
        along=along,
        counter_label=counter.label,
        recalls=ticket.recalls,
    )
    return ticket


@transaction.atomic
def no_show(ticket: Ticket, *, by: Any, now: dt.datetime | None = None) -> Ticket:
    now = _now(now)
    counter, ticket = _lock_ticket_at_counter(ticket, by)
    _require(ticket, Ticket.State.CALLED, action=_("marcar como no presentado"))
    ticket.ended_at = now
    along = [
        _transition(ticket, Ticket.State.NO_SHOW, now, by=by),
        rows.update(ticket, ["state", "ended_at"]),
        _release(counter, now),
        _audit("queue.ticket.no_show", ticket, by=by),
    ]
    _publish(ticket, "ticket.no_show", along=along)
    return ticket


@transaction.atomic
def start(ticket: Ticket, *, by: Any, now: dt.datetime | None = None) -> Ticket:
    now = _now(now)
    ticket = _lock_ticket_at_counter(ticket, by)[1]
    _require(ticket, Ticket.State.CALLED, action=_("iniciar la atención"))
    ticket.started_at = now
    along = [
        _transition(ticket, Ticket.State.SERVING, now, by=by),
        rows.update(ticket, ["state", "started_at"]),
        _audit("queue.ticket.started", ticket, by=by),
    ]
    _publish(ticket, "ticket.started", along=along)
    return ticket


@transaction.atomic
def finish(
    ticket: Ticket,
    *,
    by: Any,
    outcome: str = Attention.Outcome.RESOLVED,
    now: dt.datetime | None = None,
) -> Attention:
    """End the attention: the ticket is done and one Attention is appended."""
    now = _now(now)
    if outcome not in Attention.ADVISOR_OUTCOMES:
        raise Invalid(_("Resultado desconocido: resolved, pending o referred."), code="outcome")
    counter, ticket = _lock_ticket_at_counter(ticket, by)
    _require(ticket, Ticket.State.SERVING, action=_("finalizar"))
    ticket.ended_at = now
    attention = _record_attention(ticket, counter, by, now, outcome)
    along = [
        _transition(ticket, Ticket.State.DONE, now, by=by, note=outcome),
        rows.update(ticket, ["state", "ended_at"]),
        _release(counter, now),
        _audit("queue.ticket.finished", ticket, by=by, outcome=outcome),
    ]
    _publish(ticket, "ticket.done", along=along, outcome=outcome)
    return attention


@transaction.atomic
def transfer(
    ticket: Ticket, service: Service, *, by: Any, now: dt.datetime | None = None
) -> Ticket:
    """Send the citizen on to another service: this ticket ends as transferred
    (its attention, if it started, is recorded as referred) and a new ticket
    of the same visit waits for the other service."""
    now = _now(now)
    counter, ticket = _lock_ticket_at_counter(ticket, by)
    _require(ticket, Ticket.State.CALLED, Ticket.State.SERVING, action=_("derivar"))
    if service.pk == ticket.service_id:
        raise Invalid(_("Derive a un servicio distinto."), code="same_service")
    _check_offered(ticket.center, service)
    _check_no_open_ticket(ticket.visit_id, service)
    check_staffed(ticket.center, service, audience="counter")
    check_language(ticket.center, service, ticket.language, audience="counter")
    if ticket.state == Ticket.State.SERVING:
        _record_attention(ticket, counter, by, now, Attention.Outcome.REFERRED)
    new = _new_ticket(ticket.visit, service, source=Source.TRANSFER, now=now, by=by)
    ticket.ended_at = now
    ticket.transferred_to = new
    along = [
        _transition(ticket, Ticket.State.TRANSFERRED, now, by=by, note=new.code),
        rows.update(ticket, ["state", "ended_at", "transferred_to"]),
        _release(counter, now),
        _audit("queue.ticket.transferred", ticket, by=by, to=new.code),
    ]
    _publish(ticket, "ticket.transferred", along=along, to=new.code)
    return new
