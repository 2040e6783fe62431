"""What several of the queue's actions use: plain-SQL locks, the ticket's
history and audit rows, its event, a new ticket (numbering, settings), and
the counter an action acts at (its lock, its advisor, the ticket it holds,
the attention it records)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from mac.accounts.models import Role
from mac.catalog.models import Entity, Offer, Service
from mac.centers.models import Center
from mac.core import audit, rows
from mac.core.calendar import today_lima
from mac.core.events import publish_on_commit
from mac.core.language import with_spanish
from mac.core.rows import Statement, lock_or_create
from mac.queueing import cache
from mac.queueing.errors import Conflict, Forbidden, Invalid, NotFound
from mac.queueing.models import (
    Attention,
    CenterQueue,
    Counter,
    ServiceQueueSettings,
    Ticket,
    TicketEvent,
    TicketSequence,
    Visit,
)

M = TypeVar("M", bound=models.Model)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _user(by: Any) -> Any:
    """`by` when it is a signed-in user (rows keep no anonymous actor)."""
    return by if getattr(by, "is_authenticated", False) else None


def _for_update(*, skip_locked: bool = False) -> str:
    """The locking clause of a plain SELECT: none on SQLite, where the whole
    database has one writer at a time."""
    features = connection.features
    if not features.has_select_for_update:
        return ""
    if skip_locked and features.has_select_for_update_skip_locked:
        return " FOR UPDATE SKIP LOCKED"
    return " FOR UPDATE"


def _locked(model: type[M], where: str, params: list[Any]) -> M | None:
    """The row of `model` matching `where` (at most one), locked until commit."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(model)} FROM {table} WHERE {where}{_for_update()}", params
        )
        row = cursor.fetchone()
    return None if row is None else rows.read(model, row)


def _publish(ticket: Ticket, kind: str, *, along: list[Statement], **extra: Any) -> None:
    """The ticket's event, sent with the action's last writes (`along`)."""
    payload = {
        "type": kind,
        "center": ticket.center_id,
        "ticket": ticket.id,
        "code": ticket.code,
        "service": ticket.service_id,
        "state": ticket.state,
        "counter": ticket.counter.number if ticket.counter_id and ticket.counter else None,
        **extra,
    }
    publish_on_commit(f"queue.center.{ticket.center_id}", payload, along=along)


def _transition(
    ticket: Ticket, state: str, now: dt.datetime, *, by: Any, note: str = ""
) -> Statement:
    """Set the ticket's state; the history row to write with the action's event."""
    ticket.state = state
    return _history(ticket, now, by=by, note=note)


def _history(ticket: Ticket, now: dt.datetime, *, by: Any, note: str = "") -> Statement:
    return rows.insert(
        TicketEvent(
            ticket_id=ticket.pk,
            at=now,
            state=ticket.state,
            counter_id=ticket.counter_id,
            by=_user(by),
            note=note,
        )
    )


def _audit(action: str, obj: models.Model | None = None, *, by: Any, **data: Any) -> Statement:
    return rows.insert(audit.entry(action, obj, by=by, **data))


# -- Tickets ---------------------------------------------------------------


def queue_settings(service: Service) -> ServiceQueueSettings:
    settings = getattr(service, "queue_settings", None)
    if settings is None:
        # A service nobody configured yet: its entity's initial as series.
        return ServiceQueueSettings(service=service, series=service.entity.acronym[:1].upper())
    return settings


def _offered(center_id: int) -> frozenset[int]:
    return frozenset(
        Offer.objects.filter(
            center_id=center_id,
            active=True,
            service__status=Service.Status.PUBLISHED,
            service__entity__status=Entity.Status.ACTIVE,
        ).values_list("service_id", flat=True)
    )


def _check_offered(center: Center, service: Service) -> None:
    if service.pk not in cache.cached("offers", center.pk, lambda: _offered(center.pk)):
        raise Invalid(
            with_spanish(
                _("El servicio «%(service)s» no se ofrece en %(center)s."),
                {"service": service.plain_name, "center": center.name},
            ),
            code="service_not_offered",
        )


def _next_number(center: Center, day: dt.date, series: str) -> int:
    """The series' next number. The update locks the sequence row until commit
    (a concurrent one waits, then adds to the committed value), so numbers are
    unique and without gaps; the row is created on the day's first ticket."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE queueing_ticketsequence SET last_number = last_number + 1"
            " WHERE center_id = %s AND day = %s AND series = %s RETURNING last_number",
            [center.pk, connection.ops.adapt_datefield_value(day), series],
        )
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    sequence = lock_or_create(TicketSequence, center=center, day=day, series=series)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _new_ticket(
    visit: Visit,
    service: Service,
    *,
    source: str,
    now: dt.datetime,
    by: Any,
    appointment_at: dt.datetime | None = None,
) -> Ticket:
    center = visit.center
    settings = queue_settings(service)
    day = today_lima(now)
    number = _next_number(center, day, settings.series)
    if appointment_at is not None:
        target = (
            CenterQueue.objects.filter(center=center)
            .values_list("appointment_target_minutes", flat=True)
            .first()
        )
        if target is None:  # no settings row: the field's default
            target = CenterQueue._meta.get_field("appointment_target_minutes").default
    else:
        target = settings.target_wait_minutes
    ticket = rows.create(
        Ticket(
            visit=visit,
            center=center,
            service=service,
            entity_id=service.entity_id,
            day=day,
            series=settings.series,
            number=number,
            code=f"{settings.series}-{number:03d}",
            source=source,
            priority=visit.is_priority,
            language=visit.language,
            appointment_at=appointment_at,
            target_wait_seconds=target * 60,
            issued_at=now,
            wait_from=max(now, appointment_at) if appointment_at else now,
        )
    )
    history = _transition(ticket, Ticket.State.WAITING, now, by=by, note=source)
    issued = _audit("queue.ticket.issued", ticket, by=by, code=ticket.code, source=source)
    _publish(ticket, "ticket.issued", along=[history, issued])
    return ticket


def _check_no_open_ticket(visit_id: int, service: Service) -> None:
    """Refuse a second open ticket for one service on a visit. The visit's row
    is locked first, so two requests adding the same service take turns."""
    _locked(Visit, "id = %s", [visit_id])
    if Ticket.objects.filter(
        visit_id=visit_id, service=service, state__in=Ticket.OPEN_STATES
    ).exists():
        raise Conflict(
            _("La visita ya tiene un ticket abierto para ese servicio."), code="duplicate"
        )


# -- Counters --------------------------------------------------------------


def _lock_counter(counter: Counter) -> Counter:
    """The counter's row, locked (only it: not its center)."""
    locked = _locked(Counter, "id = %s", [counter.pk])
    if locked is None:
        raise NotFound(_("No existe ese módulo."), code="counter")
    return locked


def _check_operator(counter: Counter, by: Any) -> None:
    """The counter has an advisor in session, and it is `by` (when given)."""
    if counter.advisor_id is None:
        raise Conflict(
            _("El %(counter)s no tiene un asesor en sesión.") % {"counter": counter.label},
            code="not_signed_in",
        )
    if by is not None and counter.advisor_id != by.pk:
        raise Forbidden(
            _("Otro asesor atiende en el %(counter)s.") % {"counter": counter.label},
            code="not_your_counter",
        )


def _serves_at(user: Any, counter: Counter) -> bool:
    """The account is, now, an active advisor of the counter's entity and center."""
    return (
        getattr(user, "is_active", False)
        and getattr(user, "role", None) == Role.ADVISOR
        and user.entity_id == counter.entity_id
        and user.center_id == counter.center_id
    )


def _not_theirs(counter: Counter) -> Forbidden:
    return Forbidden(
        _("El %(counter)s es de %(entity)s en %(center)s.")
        % {
            "counter": counter.label,
            "entity": counter.entity.acronym,
            "center": counter.center.name,
        },
        code="not_your_counter",
    )


def _lock_ticket_at_counter(ticket: Ticket, by: Any) -> tuple[Counter, Ticket]:
    """Lock the counter holding the ticket, then the ticket, and check that this
    advisor holds it. Raises Conflict with the ticket's state when no counter
    holds it (waiting, or already ended)."""
    counter = _locked(Counter, "current_ticket_id = %s", [ticket.pk])
    if counter is None:
        fresh = Ticket.objects.filter(pk=ticket.pk).values("state", "code").first()
        if fresh is None:
            raise NotFound(_("No existe ese ticket."), code="ticket")
        label = Ticket.State(fresh["state"]).label
        raise Conflict(
            _("El ticket %(code)s está «%(state)s».") % {"code": fresh["code"], "state": label},
            code="not_called",
        )
    locked = _locked(Ticket, "id = %s", [ticket.pk])
    assert locked is not None  # a counter holds it, and tickets are never deleted
    locked.counter = counter
    _check_operator(counter, by)
    return counter, locked


def _require(ticket: Ticket, *states: str, action: str) -> None:
    if ticket.state not in states:
        raise Conflict(
            _("No se puede %(action)s: el ticket %(code)s está «%(state)s».")
            % {"action": action, "code": ticket.code, "state": ticket.get_state_display()},
            code="bad_state",
        )


def _release(counter: Counter, now: dt.datetime) -> Statement:
    """Free the counter; the update to write with the action's event."""
    counter.current_ticket = None
    counter.free_since = now
    return rows.update(counter, ["current_ticket", "free_since"])


def _record_attention(
    ticket: Ticket, counter: Counter, by: Any, now: dt.datetime, outcome: str
) -> Attention:
    started = ticket.started_at or now
    called = ticket.called_at or started
    return rows.create(
        Attention(
            channel=Attention.Channel.CENTER,
            center_id=ticket.center_id,
            entity_id=ticket.entity_id,
            service_id=ticket.service_id,
            counter=counter,
            advisor=_user(by),
            ticket=ticket,
            priority=ticket.priority,
            language=ticket.language,
            issued_at=ticket.issued_at,
            called_at=called,
            started_at=started,
            ended_at=now,
            wait_seconds=max(0, int((called - ticket.wait_from).total_seconds())),
            service_seconds=max(0, int((now - started).total_seconds())),
            target_wait_seconds=ticket.target_wait_seconds,
            outcome=outcome,
        )
    )
