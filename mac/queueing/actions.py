"""Every write of the queue engine. Each action is atomic, validates before it
changes anything, writes an audit row and publishes its event after commit.

Lock order, always: the counter, then the ticket. Counters of a center call
in parallel and claim a ticket with a conditional update, so one ticket is
never called twice. Numbering locks only the (center, day, series) sequence
row, so kiosks never wait for counters.

Issuing, calling, starting and finishing are the hot paths (`mac bench
queue`): their locks, reads and claim are plain SQL (the ORM's query building
cost more than the queries), and each action's last writes (history row, row
updates, audit row, event and NOTIFY) go to the database in one statement
(`publish_on_commit(..., along=...)`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from django.db import IntegrityError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mac.accounts.models import Role
from mac.catalog.models import Entity, Offer, Service
from mac.centers.models import Center
from mac.core import audit, rows
from mac.core.calendar import LIMA, today_lima
from mac.core.documents import validate_document
from mac.core.events import publish_on_commit
from mac.core.language import with_spanish
from mac.core.links import absolute
from mac.core.rows import Statement, lock_or_create
from mac.queueing import cache, policy
from mac.queueing.errors import (
    Conflict,
    CounterStrandsTickets,
    Forbidden,
    Invalid,
    LanguageUnavailable,
    NotFound,
    ServiceUnstaffed,
)
from mac.queueing.models import (
    AdvisorSession,
    Attention,
    CancelReason,
    CenterQueue,
    Counter,
    Language,
    PriorityReason,
    ServiceQueueSettings,
    SessionBreak,
    Source,
    Ticket,
    TicketEvent,
    TicketSequence,
    Visit,
)
from mac.queueing.queries import (
    books_appointments,
    build_snapshot,
    serving_languages,
    serving_without,
    staffed_services,
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


# -- Issuing ---------------------------------------------------------------


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


def check_staffed(center: Center, service: Service, *, audience: str) -> None:
    """Refuse a ticket for a service the center offers but no active counter
    of it has among its skills: the routing policy calls a ticket only to a
    counter with its service, so it would wait until the citizen gave up.
    Offers and counters are set up by different people in the back office;
    this is where a mismatch shows. Asked before the language (a service
    nobody serves is the clearer message). Read from the per-process cache of
    the counters' skills (`queries.staffed_services`): no statement once warm.
    `audience`: who reads the refusal (`ServiceUnstaffed.text`)."""
    if service.pk in staffed_services(center.pk):
        return
    raise ServiceUnstaffed(center=center.name, service=service.plain_name, audience=audience)


def check_language(center: Center, service: Service, language: str, *, audience: str) -> None:
    """Refuse a ticket in a language in which no active counter of the center
    serves the service: the routing policy never calls it to a counter without
    that language, so it would wait until the citizen gave up. Whether an
    advisor is signed in now does not matter (they come and go during the
    day), only how the counters are set up. Spanish is always served: every
    counter speaks it (`policy.can_serve`). Read from the per-process cache
    of the counters' skills, which holds their languages too
    (`queries.serving_languages`): no statement once warm, as
    `check_staffed`. `audience`: who reads the refusal
    (`LanguageUnavailable.text`)."""
    if language == Language.SPANISH:
        return
    if language in serving_languages(center.pk, service.pk):
        return
    raise LanguageUnavailable(
        center=center.name, service=service.plain_name, language=language, audience=audience
    )


def _audience(source: str) -> str:
    """Who reads an issue's refusal: the citizen at a kiosk, an advisor at a
    counter, else the staff who issue tickets."""
    audiences: dict[str, str] = {Source.KIOSK: "citizen", Source.COUNTER: "counter"}
    return audiences.get(source, "desk")


def booking_address() -> str:
    """Where a citizen books an appointment on Portal MAC, as they would type
    it (the site's address without its scheme)."""
    return absolute(reverse("appointments:start"), scheme=False)


def check_walk_in(center: Center, service: Service, source: str) -> None:
    """A kiosk gives no walk-in ticket for a service that requires an
    appointment: the citizen registers their booking's arrival (the kiosk's
    "Tengo cita") or books one. Where the center gives no appointments for
    the service, nobody has a booking here nor can make one: they ask at the
    orientation desk or book at another center. The orientation desk and the
    API (staff) may still issue one; a check-in is no walk-in
    (`issue_ticket(checked_in=True)`)."""
    if source != Source.KIOSK or not service.requires_appointment:
        return
    if books_appointments(center, service):
        template = _(
            "«%(service)s» requiere cita previa: el kiosko no da tickets sin cita para"
            " este trámite. Si tienes cita, registra tu llegada con tu código de reserva"
            " en «Tengo cita». Si no la tienes, resérvala en %(address)s."
        )
    else:
        template = _(
            "«%(service)s» requiere cita previa: el kiosko no da tickets sin cita para"
            " este trámite, y este Centro MAC no da citas para él. Consulta en"
            " orientación, o reserva tu cita en un Centro MAC que lo ofrezca en %(address)s."
        )
    raise Conflict(
        with_spanish(template, {"service": service.plain_name}, address=booking_address()),
        code="appointment_required",
    )


def _check_open(center: Center, now: dt.datetime) -> None:
    schedule = cache.schedule(center.pk)
    if schedule.is_open_at(now):
        return
    off = schedule.day_off(today_lima(now)) if schedule.status == Center.Status.OPERATING else None
    if off is not None:
        # Say why: a holiday or a declared day closes it all day.
        raise Conflict(
            with_spanish(
                _("%(center)s no atiende hoy: %(day)s."), {"center": center.name, "day": off.name}
            ),
            code="center_closed",
        )
    raise Conflict(
        with_spanish(_("%(center)s está cerrado en este momento."), {"center": center.name}),
        code="center_closed",
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


@transaction.atomic
def issue_ticket(
    center: Center,
    service: Service,
    *,
    by: Any = None,
    source: str = Source.KIOSK,
    document_type: str = "",
    document_number: str = "",
    priority_reason: str = "",
    language: str = Language.SPANISH,
    appointment_at: dt.datetime | None = None,
    checked_in: bool = False,
    now: dt.datetime | None = None,
) -> Ticket:
    """A new visit with its first ticket (kiosk, orientation desk, appointment
    check-in or API). `checked_in` when it is a booking's check-in: a late one
    is queued as a walk-in of where it happened, but it had its appointment."""
    now = _now(now)
    if source not in Source.values:
        raise Invalid(_("Origen del ticket desconocido."), code="source")
    if priority_reason not in PriorityReason.values:
        raise Invalid(_("Motivo de atención preferente desconocido."), code="priority_reason")
    if language not in Language.values:
        raise Invalid(_("Lengua no atendida."), code="language")
    if document_number or document_type:
        try:
            document = validate_document(document_type, document_number)
        except Exception as exc:  # django ValidationError: show its message
            messages = getattr(exc, "messages", [str(exc)])
            raise Invalid(" ".join(str(m) for m in messages), code="document") from None
        document_type, document_number = document.type, document.number
    _check_open(center, now)
    _check_offered(center, service)
    check_staffed(center, service, audience=_audience(source))
    if not checked_in:
        check_walk_in(center, service, source)
    check_language(center, service, language, audience=_audience(source))
    visit = rows.create(
        Visit(
            center=center,
            document_type=document_type,
            document_number=document_number,
            priority_reason=priority_reason,
            language=language,
            created_at=now,
            created_by=_user(by),
        )
    )
    return _new_ticket(visit, service, source=source, now=now, by=by, appointment_at=appointment_at)


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


@transaction.atomic
def add_service(
    visit: Visit,
    service: Service,
    *,
    by: Any = None,
    source: str = Source.DESK,
    now: dt.datetime | None = None,
) -> Ticket:
    """Another ticket on the same visit (a second procedure), from `source`:
    the orientation desk, or the API caller's own origin."""
    now = _now(now)
    if source not in Source.values:
        raise Invalid(_("Origen del ticket desconocido."), code="source")
    if today_lima(visit.created_at) != today_lima(now):
        raise Conflict(_("La visita es de otro día: emita un ticket nuevo."), code="visit_closed")
    _check_no_open_ticket(visit.pk, service)
    _check_open(visit.center, now)
    _check_offered(visit.center, service)
    check_staffed(visit.center, service, audience=_audience(source))
    check_language(visit.center, service, visit.language, audience=_audience(source))
    return _new_ticket(visit, service, source=source, now=now, by=by)


@transaction.atomic
def add_service_at_counter(
    ticket: Ticket, service: Service, *, by: Any, now: dt.datetime | None = None
) -> Ticket:
    """Another procedure for the citizen at the counter, added by the advisor
    calling or serving them (`add_service` from the counter): a new ticket of
    the same visit (its priority, language and document) waits for `service`,
    and the attention under way goes on. Locks the counter, then the ticket
    (then the visit), as every action at a counter does."""
    now = _now(now)
    ticket = _lock_ticket_at_counter(ticket, by)[1]
    _require(ticket, Ticket.State.CALLED, Ticket.State.SERVING, action=_("añadir un trámite"))
    visit = Visit.objects.select_related("center").get(pk=ticket.visit_id)
    return add_service(visit, service, by=by, source=Source.COUNTER, now=now)


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


# -- Counters and sessions ---------------------------------------------------


def _lock_counter(counter: Counter) -> Counter:
    """The counter's row, locked (only it: not its center)."""
    locked = _locked(Counter, "id = %s", [counter.pk])
    if locked is None:
        raise NotFound(_("No existe ese módulo."), code="counter")
    return locked


def _open_session(counter: Counter) -> AdvisorSession | None:
    return counter.sessions.filter(ended_at=None).first()


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


@transaction.atomic
def sign_in(counter: Counter, *, by: Any, now: dt.datetime | None = None) -> AdvisorSession:
    now = _now(now)
    counter = _lock_counter(counter)
    if not counter.active:
        raise Conflict(
            _("El %(counter)s está deshabilitado.") % {"counter": counter.label},
            code="counter_inactive",
        )
    if not _serves_at(by, counter):
        raise _not_theirs(counter)
    if counter.advisor_id is not None:
        raise Conflict(
            _("El %(counter)s ya tiene un asesor en sesión.") % {"counter": counter.label},
            code="counter_taken",
        )
    if counter.center.status == Center.Status.CLOSED:
        raise Conflict(
            _("%(center)s está cerrado.") % {"center": counter.center.name}, code="center_closed"
        )
    busy = Conflict(_("Ya tiene una sesión abierta en otro módulo."), code="advisor_busy")
    if AdvisorSession.objects.filter(advisor=by, ended_at=None).exists():
        raise busy
    try:
        with transaction.atomic():
            session = AdvisorSession.objects.create(counter=counter, advisor=by, started_at=now)
    except IntegrityError:  # the same advisor signed in at another counter meanwhile
        raise busy from None
    counter.status = Counter.Status.OPEN
    counter.advisor = by
    counter.free_since = now
    counter.save(update_fields=["status", "advisor", "free_since"])
    audit.record("queue.counter.sign_in", counter, by=by)
    publish_on_commit(
        f"queue.center.{counter.center_id}", {"type": "counter.open", "counter": counter.number}
    )
    return session


@transaction.atomic
def sign_out(counter: Counter, *, by: Any, now: dt.datetime | None = None) -> None:
    now = _now(now)
    counter = _lock_counter(counter)
    _check_operator(counter, by)
    if counter.current_ticket_id:
        raise Conflict(_("Termine la atención en curso antes de dejar el módulo."), code="busy")
    _close_session(counter, by=by, now=now)


def _close_session(counter: Counter, *, by: Any, now: dt.datetime) -> None:
    session = _open_session(counter)
    if session is not None:
        session.breaks.filter(ended_at=None).update(ended_at=now)
        session.ended_at = now
        session.save(update_fields=["ended_at"])
    counter.status = Counter.Status.CLOSED
    counter.advisor = None
    counter.save(update_fields=["status", "advisor"])
    audit.record("queue.counter.sign_out", counter, by=by)
    publish_on_commit(
        f"queue.center.{counter.center_id}", {"type": "counter.closed", "counter": counter.number}
    )


@transaction.atomic
def release_advisor(user: Any, *, by: Any, now: dt.datetime | None = None) -> list[Counter]:
    """Sign `user` out of the counters their account no longer lets them
    serve (moved to another entity or center, another role, deactivated):
    called when an account changes. A counter in the middle of an attention
    stays with the advisor until they finish it (they may finish and sign
    out, not call again). Returns the counters released."""
    now = _now(now)
    released = []
    held = Counter.objects.filter(advisor_id=user.pk).order_by("pk").values_list("pk", flat=True)
    for pk in list(held):
        counter = _lock_counter(Counter(pk=pk))
        if counter.advisor_id != user.pk or _serves_at(user, counter):
            continue
        if counter.current_ticket_id is None:
            _close_session(counter, by=by, now=now)
            released.append(counter)
    return released


@transaction.atomic
def pause(counter: Counter, *, by: Any, reason: str = "", now: dt.datetime | None = None) -> None:
    now = _now(now)
    counter = _lock_counter(counter)
    _check_operator(counter, by)
    if counter.status == Counter.Status.PAUSED:
        raise Conflict(
            _("El %(counter)s ya está en pausa.") % {"counter": counter.label}, code="paused"
        )
    if counter.current_ticket_id:
        raise Conflict(_("Termine la atención en curso antes de pausar."), code="busy")
    session = _open_session(counter)
    assert session is not None  # the counter has an advisor: its session is open
    SessionBreak.objects.create(session=session, started_at=now, reason=reason[:80])
    counter.status = Counter.Status.PAUSED
    counter.save(update_fields=["status"])
    audit.record("queue.counter.pause", counter, by=by, reason=reason[:80])
    publish_on_commit(
        f"queue.center.{counter.center_id}", {"type": "counter.paused", "counter": counter.number}
    )


@transaction.atomic
def resume(counter: Counter, *, by: Any, now: dt.datetime | None = None) -> None:
    now = _now(now)
    counter = _lock_counter(counter)
    _check_operator(counter, by)
    if counter.status != Counter.Status.PAUSED:
        raise Conflict(
            _("El %(counter)s no está en pausa.") % {"counter": counter.label},
            code="not_paused",
        )
    SessionBreak.objects.filter(session__counter=counter, ended_at=None).update(ended_at=now)
    counter.status = Counter.Status.OPEN
    counter.free_since = now
    counter.save(update_fields=["status", "free_since"])
    audit.record("queue.counter.resume", counter, by=by)
    publish_on_commit(
        f"queue.center.{counter.center_id}", {"type": "counter.open", "counter": counter.number}
    )


# -- Calling and serving ---------------------------------------------------


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


def _release(counter: Counter, now: dt.datetime) -> Statement:
    """Free the counter; the update to write with the action's event."""
    counter.current_ticket = None
    counter.free_since = now
    return rows.update(counter, ["current_ticket", "free_since"])


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


__all__ = [
    "abandon_waiting",
    "add_service",
    "add_service_at_counter",
    "call_next",
    "cancel",
    "change_service",
    "close_past_days",
    "finish",
    "issue_ticket",
    "no_show",
    "pause",
    "recall",
    "resume",
    "sign_in",
    "sign_out",
    "start",
    "transfer",
]


# -- Configuration (back office) --------------------------------------------


def _lock_center_counters(counter: Counter) -> Counter:
    """Lock the rows of the counter and of the other counters of its center,
    in id order (the order of every action that locks several counters),
    until commit: while one counter's setup changes, no other counter of the
    center changes, so two coordinators who each disable one of the last two
    counters of a service cannot both pass `_check_strands`. Returns the
    counter's stored row."""
    center_id = Counter.objects.filter(pk=counter.pk).values_list("center_id", flat=True).first()
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(Counter)} FROM {table} WHERE center_id = %s OR id = %s"
            f" ORDER BY id{_for_update()}",
            [center_id, counter.pk],
        )
        locked = [rows.read(Counter, row) for row in cursor.fetchall()]
    stored = next((row for row in locked if row.pk == counter.pk), None)
    if stored is None:
        raise NotFound(_("No existe ese módulo."), code="counter")
    if stored.center_id != center_id:  # moved to another center meanwhile
        return _lock_center_counters(stored)
    return stored


def _check_not_in_use(counter: Counter, stored: Counter) -> None:
    """A counter with an advisor in session (or a ticket) keeps its entity and
    center and stays enabled: else the advisor would call another entity's
    tickets, or hold a ticket of a center the counter left."""
    in_use = stored.advisor_id is not None or stored.current_ticket_id is not None
    moved = (counter.entity_id, counter.center_id) != (stored.entity_id, stored.center_id)
    if in_use and (moved or (stored.active and not counter.active)):
        raise Conflict(
            _(
                "El %(counter)s tiene un asesor en sesión: cierre la sesión antes de "
                "cambiar su entidad o su centro, o de deshabilitarlo."
            )
            % {"counter": stored.label},
            code="counter_in_use",
        )


def _check_strands(
    counter: Counter,
    stored: Counter,
    changed: Collection[str],
    services: list[Service] | None,
    today: dt.date,
) -> None:
    """Refuse a change after which tickets waiting today at the counter's
    center could be called by no active counter: the policy calls a ticket
    only to a counter with its service and its language (`policy.can_serve`),
    so they would wait until the citizens gave up (the checks at issue refuse
    such a ticket; this keeps a change from making one). Only what this
    counter stops covering counts, and the other counters' setup as read
    under `_lock_center_counters`' locks, whether or not an advisor is signed
    in at them. Not covered: a ticket issued meanwhile through a process
    whose cached skills still hold the old setup (`check_staffed` and
    `check_language` read them; up to `cache.TTL`), which the hot path takes
    no lock against."""
    if not stored.active:
        return  # it called nobody
    through = Counter.services.through.objects.filter(counter_id=stored.pk)
    held = set(through.values_list("service_id", flat=True))
    spoken = {"es", *(stored.languages or [])}

    def after(field: str, attname: str) -> Any:
        return getattr(counter if field in changed else stored, attname)

    stays = after("active", "active") and after("center", "center_id") == stored.center_id
    kept = ({s.pk for s in services} if services is not None else held) if stays else set()
    speaks = {"es", *(after("languages", "languages") or [])}
    lost = [s for s in held if s not in kept or not spoken <= speaks]
    if not lost:
        return
    waiting = (
        Ticket.objects.filter(
            center_id=stored.center_id, day=today, state=Ticket.State.WAITING, service_id__in=lost
        )
        .values_list("service_id", "language")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    others = serving_without(stored.center_id, stored.pk)
    stranded = {
        (service, language): n
        for service, language, n in waiting
        if language in spoken
        and not (service in kept and language in speaks)
        and language not in others.get(service, ())
    }
    if not stranded:
        return
    names = dict(
        Service.objects.filter(pk__in={s for s, _ in stranded}).values_list("pk", "plain_name")
    )
    order = list(Language.values)
    listing = sorted(
        ((names[service], language, n) for (service, language), n in stranded.items()),
        key=lambda entry: (entry[0], order.index(entry[1]) if entry[1] in order else len(order)),
    )
    center = Center.objects.values_list("name", flat=True).get(pk=stored.center_id)
    raise CounterStrandsTickets(counter=stored.label, center=center, stranded=listing)


def check_counter(
    counter: Counter,
    *,
    changed_fields: list[str] | None,
    services: list[Service] | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Raise the refusal `save_counter` gives for this setup of the counter
    (`changed_fields`, `services`: as it takes them), else return. For a
    counter that exists, the rows of its center's counters stay locked until
    the transaction ends (`_lock_center_counters`): the back office's form
    asks here, in the admin's transaction, and shows a refusal on the form."""
    unknown = set(counter.languages or []) - set(Language.values)
    if unknown:
        raise Invalid(
            _("Lenguas desconocidas: %(codes)s.") % {"codes": ", ".join(sorted(unknown))},
            code="language",
        )
    if services is not None and any(s.entity_id != counter.entity_id for s in services):
        raise Invalid(_("Un módulo solo atiende servicios de su entidad."), code="skills")
    if counter.pk is None:
        return  # a new counter takes no ticket away from anyone
    stored = _lock_center_counters(counter)
    _check_not_in_use(counter, stored)
    _check_strands(counter, stored, changed_fields or [], services, today_lima(_now(now)))


@transaction.atomic
def save_counter(
    counter: Counter,
    *,
    by: Any,
    changed_fields: list[str] | None,
    services: list[Service] | None = None,
    now: dt.datetime | None = None,
) -> Counter:
    """Create or change a counter's setup (entity, number, skills, languages,
    active flag), after `check_counter`: among others, a change that would
    leave tickets waiting today with no active counter able to call them is
    refused (409, `counter_strands_tickets`), with nothing changed. The
    cached skills of this process are dropped at commit (the event), other
    workers see the change within `cache.TTL`."""
    creating = counter.pk is None
    check_counter(counter, changed_fields=changed_fields, services=services, now=now)
    if "es" not in counter.languages:
        counter.languages = ["es", *counter.languages]
    if creating:
        counter.save()
    elif changed_fields:
        counter.save(update_fields=[f for f in changed_fields if f != "services"])
    if services is not None:
        counter.services.set(services)
    audit.record(
        "queue.counter.created" if creating else "queue.counter.changed",
        counter,
        by=by,
        fields=changed_fields or [],
    )
    publish_on_commit("queue.config.counter", {"counter": counter.pk})
    return counter


@transaction.atomic
def save_queue_settings(obj: CenterQueue | ServiceQueueSettings, *, by: Any) -> None:
    """A center's routing policy or a service's series and ANS target."""
    if isinstance(obj, CenterQueue) and obj.policy not in policy.POLICIES:
        raise Invalid(_("Política desconocida: %(name)s.") % {"name": obj.policy}, code="policy")
    obj.save()
    audit.record("queue.settings.changed", obj, by=by)
    publish_on_commit("queue.config.settings", {"model": obj._meta.label_lower, "id": obj.pk})
