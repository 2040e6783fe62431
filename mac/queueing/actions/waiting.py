"""A waiting ticket, held by no counter: cancel it, or move it to another
service keeping its place (the orientation desk)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core import rows
from mac.queueing.actions._shared import (
    _audit,
    _check_no_open_ticket,
    _check_offered,
    _history,
    _locked,
    _now,
    _publish,
    _transition,
    queue_settings,
)
from mac.queueing.actions.issuing import check_language, check_staffed
from mac.queueing.errors import Conflict, Invalid, NotFound
from mac.queueing.models import CancelReason, Counter, Ticket


def _require_waiting(ticket: Ticket, *, action: str) -> None:
    """Refuse to act on a ticket that no longer waits: a counter called it
    meanwhile (say which, so staff know where the citizen is), or it ended."""
    if ticket.state == Ticket.State.WAITING:
        return
    counter = Counter.objects.filter(pk=ticket.counter_id).first() if ticket.counter_id else None
    if ticket.state in (Ticket.State.CALLED, Ticket.State.SERVING) and counter is not None:
        message = _(
            "No se puede %(action)s: el ticket %(code)s ya no está en espera, lo llamó el"
            " %(counter)s."
        ) % {"action": action, "code": ticket.code, "counter": counter.label}
    else:
        message = _(
            "No se puede %(action)s: el ticket %(code)s ya no está en espera (está «%(state)s»)."
        ) % {"action": action, "code": ticket.code, "state": ticket.get_state_display()}
    raise Conflict(message, code="not_waiting")


def _lock_waiting(ticket: Ticket) -> Ticket:
    """The ticket's row, locked until commit (no counter holds a waiting
    ticket, so there is no counter to lock first). A counter claiming it
    meanwhile skips it (`_claim`: SKIP LOCKED); one that claimed it first
    holds the row until its call commits, and then it no longer waits."""
    locked = _locked(Ticket, "id = %s", [ticket.pk])
    if locked is None:
        raise NotFound(_("No existe ese ticket."), code="ticket")
    return locked


@transaction.atomic
def cancel(
    ticket: Ticket, *, by: Any = None, reason: str = "", now: dt.datetime | None = None
) -> Ticket:
    """Cancel a waiting ticket: the citizen loses their place, for good.
    `reason` (`CancelReason`; "" from an API client that gave none) is kept
    in the ticket's history and in the audit row, with who cancelled it."""
    now = _now(now)
    if reason and reason not in CancelReason.values:
        raise Invalid(_("Motivo de anulación desconocido."), code="cancel_reason")
    ticket = _lock_waiting(ticket)
    _require_waiting(ticket, action=_("anular"))
    ticket.ended_at = now
    history = _transition(ticket, Ticket.State.CANCELLED, now, by=by, note=reason)
    changed = rows.update(ticket, ["state", "ended_at"])
    cancelled = _audit("queue.ticket.cancelled", ticket, by=by, code=ticket.code, reason=reason)
    _publish(ticket, "ticket.cancelled", along=[history, changed, cancelled], reason=reason)
    return ticket


@transaction.atomic
def change_service(
    ticket: Ticket, service: Service, *, by: Any, now: dt.datetime | None = None
) -> Ticket:
    """Move a waiting ticket to another service of its center (the citizen
    chose the wrong one, or no counter is left to call it), keeping its place:
    its wait still counts from when it began (the policy orders by it), and
    it keeps its code, so the printed ticket, the board and the status page
    still name the same citizen. An appointment's precedence belongs to the
    booked service: in the new one the ticket waits as a walk-in since it was
    issued. Refused like a new ticket of that service (not offered, no active
    counter serves it in the ticket's language, the visit already has an open
    ticket for it) and once the ticket no longer waits; nothing changes then.

    Race with a counter calling it: see `_lock_waiting`; a counter that chose
    it before the move and claims it after finds it no longer among its
    services (`_claim`), so it never calls a ticket it cannot serve."""
    now = _now(now)
    ticket = _lock_waiting(ticket)
    _require_waiting(ticket, action=_("cambiar de trámite"))
    if service.pk == ticket.service_id:
        raise Invalid(
            _("Elija un trámite distinto del que ya tiene el ticket."), code="same_service"
        )
    center = Center.objects.get(pk=ticket.center_id)
    _check_offered(center, service)
    check_staffed(center, service, audience="desk")
    check_language(center, service, ticket.language, audience="desk")
    _check_no_open_ticket(ticket.visit_id, service)
    before = Service.objects.values_list("pk", "code").get(pk=ticket.service_id)
    ticket.service = service
    ticket.entity_id = service.entity_id
    ticket.target_wait_seconds = queue_settings(service).target_wait_minutes * 60
    fields = ["service", "entity", "target_wait_seconds"]
    if ticket.appointment_at is not None:
        ticket.appointment_at = None
        ticket.wait_from = ticket.issued_at
        fields += ["appointment_at", "wait_from"]
    along = [
        _history(ticket, now, by=by, note=f"{before[1]} > {service.code}"[:80]),
        rows.update(ticket, fields),
        _audit(
            "queue.ticket.service_changed",
            ticket,
            by=by,
            code=ticket.code,
            from_service=before[1],
            to_service=service.code,
        ),
    ]
    _publish(ticket, "ticket.service_changed", along=along, from_service=before[0])
    return ticket
