"""Every write of appointments: open a day's slots, hold, confirm, book,
reschedule, cancel (by the citizen, or by the center when it cannot attend
the booking), check in, waitlist, no-shows.

Race safety (ADR 0005). A place is taken or given back only under the slot's
row lock (SELECT ... FOR UPDATE), and the slot's check constraint refuses
`taken > capacity` even if code were wrong. Locks are taken in one order:
the person's advisory lock (limits per document), then slots by id, then
bookings, then waitlist entries; an action that finds its booking first
reads it unlocked, locks the slot, then locks the booking and checks it
again. On SQLite every transaction is IMMEDIATE, which serialises writers.

Holding and confirming are the hot path (`mac bench booking`): their locks
and reads, the limits' counts and the new booking are plain SQL (the ORM's
query building cost more than the queries), and each one's last writes (the
row updates, the audit row, the event) go to the database in one statement
(`publish_on_commit(..., along=...)`, mac.core.rows).

A refused action changes nothing: it raises inside the transaction, which
rolls back; limit hits are audited afterwards in their own transaction."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mac.appointments import notices
from mac.appointments.conf import conf
from mac.appointments.errors import (
    Conflict,
    Forbidden,
    Invalid,
    LimitReached,
    NotFound,
    ServiceNotOffered,
)
from mac.appointments.models import (
    Agenda,
    Booking,
    BookingChannel,
    Slot,
    Unservable,
    WaitlistEntry,
)
from mac.appointments.slots import DayNotBookable, Rule, all_day_slots, check_day
from mac.catalog.models import Entity, Service
from mac.centers.models import Center, day_off
from mac.core import audit, locks, rows
from mac.core.calendar import LIMA, to_lima
from mac.core.dates import spelled_here, whole_hours
from mac.core.documents import validate_document
from mac.core.events import publish_on_commit
from mac.core.language import with_spanish
from mac.core.phones import parse_phone
from mac.core.rows import Statement
from mac.queueing import cache as queue_cache
from mac.queueing.actions import check_language, check_offered, check_staffed
from mac.queueing.errors import Invalid as QueueInvalid
from mac.queueing.errors import LanguageUnavailable, ServiceUnstaffed
from mac.queueing.models import Language
from mac.queueing.queries import staffed_services

P = ParamSpec("P")
T = TypeVar("T")

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _audited_limits(func: Callable[P, T]) -> Callable[P, T]:
    """Run the action atomically; a limit hit rolls it back and is then
    audited on its own, so the refusal is on record but nothing else is."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except LimitReached as hit:
            with transaction.atomic():
                audit.record(
                    "appointments.limit_reached", None, by=kwargs.get("operator"), **hit.audit
                )
            raise

    return wrapper


# -- Reading the calendar ---------------------------------------------------


def agenda_for(center: Center, service: Service, *, audience: str = "booking") -> Agenda:
    agenda = (
        Agenda.objects.filter(center=center, service=service, active=True)
        .select_related("center", "service")
        .first()
    )
    return _giving_appointments(agenda, center, service, audience=audience)


def _giving_appointments(
    agenda: Agenda | None, center: Center, service: Service, *, audience: str = "booking"
) -> Agenda:
    """The center's active agenda for the service, or NotFound when it has
    none or the center is not operating; Conflict when the center does not
    offer the service (`_check_offered`) or no counter serves it there
    (`_check_staffed`), in the order check-in asks, worded for `audience`."""
    if agenda is None or center.status != Center.Status.OPERATING:
        raise NotFound(
            _("%(center)s no da citas para «%(service)s».")
            % {"center": center.name, "service": service.plain_name},
            code="no_agenda",
        )
    _check_offered(center, service, audience=audience)
    _check_staffed(center, service, audience=audience)
    return agenda


def _check_offered(center: Center, service: Service, *, audience: str = "booking") -> None:
    """Refuse to list or book slots of a service the center does not offer
    (no active catalog offer there, or the service not published or its
    entity not active, though its agenda is still active): the check-in
    would be refused, as the queue refuses its ticket
    (`queueing.actions.check_offered`, 409 `service_not_offered` at
    check-in). Read from the queue's per-process cache of the center's
    offers: no statement on the hot path once warm. The pages do not offer
    such a (center, service) at all (`queries.bookable_services`).
    `audience`: "holder" words it for a citizen who already has a booking."""
    if not _offered(center, service):
        raise ServiceNotOffered(center=center.name, service=service.plain_name, audience=audience)


def _offered(center: Center, service: Service) -> bool:
    try:
        check_offered(center, service)
    except QueueInvalid:  # service_not_offered, its only refusal
        return False
    return True


def _check_staffed(center: Center, service: Service, *, audience: str = "booking") -> None:
    """Refuse to list or book slots of a service that no active counter of
    the center has among its skills: the check-in would be refused, as the
    queue refuses its ticket (`queueing.actions.check_staffed`, 409
    `service_unstaffed`). Read from the per-process cache of the counters'
    skills: no statement on the hot path once warm. The pages do not offer
    such a (center, service) at all (`queries.bookable_services`).
    `audience`: "holder" words it for a citizen who already has a booking."""
    try:
        check_staffed(center, service, audience=audience)
    except ServiceUnstaffed as refused:
        raise Conflict(refused.message, code=refused.code) from None


def _attention_language(
    center: Center, service: Service, language: str, *, audience: str = "booking"
) -> str:
    """The language of attention, refused unless an active counter of the
    center serves the service in it (Spanish always), read from the cached
    skills as `_check_staffed` (`queueing.queries.serving_languages`): the
    check-in would be refused, as the queue refuses its ticket (409
    `language_unavailable`)."""
    if language not in Language.values:
        raise Invalid(_("Esa lengua de atención no existe."), code="attention_language")
    try:
        check_language(center, service, language, audience=audience)
    except LanguageUnavailable as refused:
        raise Conflict(refused.message, code=refused.code) from None
    return language


def _rule(agenda: Agenda) -> Rule:
    return Rule(
        slot_minutes=agenda.slot_minutes,
        capacity=agenda.capacity,
        lead_minutes=agenda.lead_minutes,
        horizon_days=agenda.horizon_days,
    )


def _day_label(day: dt.date) -> str:
    return spelled_here(day, weekday=True)


def _closed_reason(center: Center, day: dt.date) -> str | None:
    """Why the center (its hours and exceptions loaded) gives no
    appointments that day, or None. Whether it opens is the centers' rule
    (`Center.hours_on`: its exception for the day, else holidays and declared
    non-working days are closed, else the weekly hours), the one the queue
    follows to issue tickets."""
    if center.hours_on(day):
        return None
    off = day_off(day)
    if off is not None and off.kind == "holiday":
        return _("El %(day)s es feriado (%(name)s): el centro no atiende.") % {
            "day": _day_label(day),
            "name": off.name,
        }
    if off is not None:
        return _("El %(day)s es día no laborable (%(name)s): el centro no atiende.") % {
            "day": _day_label(day),
            "name": off.name,
        }
    return _("El %(day)s el centro no atiende.") % {"day": _day_label(day)}


def _check_day(agenda: Agenda, day: dt.date, now: dt.datetime) -> list[tuple[dt.time, dt.time]]:
    try:
        check_day(day, _rule(agenda), now)
    except DayNotBookable as refused:
        if refused.reason == "past":
            raise Invalid(_("La fecha ya pasó."), code="past_date") from None
        raise Invalid(
            _("Solo se reservan citas hasta %(days)s días adelante.")
            % {"days": agenda.horizon_days},
            code="beyond_horizon",
        ) from None
    center = queue_cache.schedule(agenda.center_id)
    reason = _closed_reason(center, day)
    if reason:
        raise Invalid(reason, code="closed_day")
    return center.hours_on(day)


def _check_bookable(agenda: Agenda, start: dt.datetime, now: dt.datetime) -> None:
    """Refuse a slot chosen by its id (its start) that open_day would not list
    now: started, its day past, beyond the horizon or closed (a non-working
    day declared after the slots were stored), no longer among the day's slots
    (hours or slot length changed), or within the lead time. It reads only
    cached data (the center's schedule, the declared non-working days), so it
    costs nothing while the slot's lock is held."""
    if start < now:
        raise Invalid(_("Ese horario ya pasó."), code="past_slot")
    day = to_lima(start).date()
    periods = _check_day(agenda, day, now)
    if start not in {s.start for s in all_day_slots(day, periods, _rule(agenda))}:
        raise Invalid(_("Ese horario ya no se ofrece. Elige otro."), code="slot_not_offered")
    if start < now + dt.timedelta(minutes=agenda.lead_minutes):
        raise Invalid(_lead_time(agenda.lead_minutes), code="lead_time")


def _lead_time(minutes: int) -> str:
    hours = whole_hours(minutes)
    if hours:
        return ngettext(
            "Las citas se reservan con al menos %(hours)s hora de anticipación.",
            "Las citas se reservan con al menos %(hours)s horas de anticipación.",
            hours,
        ) % {"hours": hours}
    return _("Las citas se reservan con al menos %(minutes)s minutos de anticipación.") % {
        "minutes": minutes
    }


def open_day(
    center: Center, service: Service, day: dt.date, *, now: dt.datetime | None = None
) -> list[Slot]:
    """The day's slots that can still be booked, stored on first sight.

    `available` on each returned slot discounts holds that have lapsed but
    were not yet given back (they are given back when someone next locks the
    slot, or by their expiry task)."""
    now = _now(now)
    agenda = agenda_for(center, service)
    periods = _check_day(agenda, day, now)
    specs = all_day_slots(day, periods, _rule(agenda))
    Slot.objects.bulk_create(
        [
            Slot(center=center, service=service, start=s.start, end=s.end, capacity=s.capacity)
            for s in specs
        ],
        ignore_conflicts=True,
    )
    _fit_capacity(center, service, [s.start for s in specs], agenda.capacity)
    earliest = now + dt.timedelta(minutes=agenda.lead_minutes)
    slots: list[Slot] = list(
        Slot.objects.filter(
            center=center, service=service, start__in=[s.start for s in specs], start__gte=earliest
        )
        .annotate(
            lapsed=Count(
                "bookings",
                filter=Q(bookings__status=Booking.Status.HELD, bookings__hold_until__lte=now),
            )
        )
        .order_by("start")
    )
    for slot in slots:
        slot.taken -= slot.lapsed  # type: ignore[attr-defined]
        # What is left to book (see _places), never less than what is taken.
        slot.capacity = max(_places(slot, agenda.capacity), slot.taken)
    return slots


def _fit_capacity(
    center: Center, service: Service, starts: list[dt.datetime], capacity: int
) -> None:
    """The agenda's capacity applies to the day's stored slots too: raised at
    once; lowered down to the places a slot holds, no further (the check
    constraint), and _places gives none beyond the agenda's capacity."""
    fitted = Greatest(F("taken"), Value(capacity))
    stale = Slot.objects.filter(center=center, service=service, start__in=starts).exclude(
        capacity=fitted
    )
    if not stale.exists():
        return
    with transaction.atomic():
        ids = list(
            stale.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True)
        )
        Slot.objects.filter(pk__in=ids).update(capacity=fitted)


def _places(slot: Slot, capacity: int) -> int:
    """Places a slot gives: its stored capacity, but not beyond its agenda's
    current capacity (lowered while the slot held more bookings)."""
    return min(slot.capacity, capacity)


def _agenda_capacity(slot: Slot) -> int:
    agenda = Agenda.objects.filter(center_id=slot.center_id, service_id=slot.service_id).first()
    return agenda.capacity if agenda is not None else slot.capacity


# -- Locks and places --------------------------------------------------------


def _lock_person(doc_type: str, number: str) -> None:
    """Serialise the limit checks of one document (PostgreSQL advisory lock;
    SQLite transactions are already serial)."""
    if number:
        locks.hold_until_commit(f"{doc_type}:{number}")


def _lock_slot(slot_id: int, service: Service | None = None) -> Slot:
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("center", "service")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise NotFound(_("El horario no existe."), code="slot_not_found")
    if service is not None and slot.service_id != service.pk:
        raise Invalid(_("El horario no corresponde a ese servicio."), code="slot_service")
    return slot


def _lock_slot_to_hold(slot_id: int, service: Service) -> tuple[Slot, Agenda]:
    """`_lock_slot`, then `agenda_for` the slot's center and service, in one
    statement: the slot locked with its center and service, and its active
    agenda (outer join). The agenda is then read as the statement began, not
    after a wait for the lock; no change of an agenda takes the slot's lock,
    so reading it after the lock guaranteed nothing more."""
    quote = connection.ops.quote_name
    slot_t, center_t, service_t, agenda_t = (
        quote(model._meta.db_table) for model in (Slot, Center, Service, Agenda)
    )
    lock = f" FOR UPDATE OF {slot_t}" if connection.features.has_select_for_update_of else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(rows.columns(m, qualified=True) for m in _SLOT_TO_HOLD)} "
            f"FROM {slot_t} "
            f"INNER JOIN {center_t} ON {center_t}.id = {slot_t}.center_id "
            f"INNER JOIN {service_t} ON {service_t}.id = {slot_t}.service_id "
            f"LEFT OUTER JOIN {agenda_t} ON {agenda_t}.center_id = {slot_t}.center_id "
            f"AND {agenda_t}.service_id = {slot_t}.service_id AND {agenda_t}.active = %s "
            f"WHERE {slot_t}.id = %s{lock}",
            [True, slot_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise NotFound(_("El horario no existe."), code="slot_not_found")
    slot, slot.center, slot.service, agenda = rows.read_joined(_SLOT_TO_HOLD, row)
    if slot.service_id != service.pk:
        raise Invalid(_("El horario no corresponde a ese servicio."), code="slot_service")
    if agenda is not None:
        agenda.center, agenda.service = slot.center, slot.service
    return slot, _giving_appointments(agenda, slot.center, slot.service)


_SLOT_TO_HOLD = (Slot, Center, Service, Agenda)


def _release_lapsed(slot: Slot, now: dt.datetime) -> None:
    """Give back the places of holds that ran out (slot locked).

    The holds are locked, and a hold that another transaction confirmed or
    released meanwhile is left alone: PostgreSQL checks the condition again
    on the row it waited for. The update repeats the condition and only the
    rows it changed give their place back."""
    lapsed = Q(slot=slot, status=Booking.Status.HELD, hold_until__lte=now)
    ids = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(lapsed)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return
    expired = Booking.objects.filter(lapsed, pk__in=ids).update(status=Booking.Status.EXPIRED)
    if not expired:
        return
    slot.taken -= expired
    slot.save(update_fields=["taken"])
    WaitlistEntry.objects.filter(
        booking__in=ids, booking__status=Booking.Status.EXPIRED, status=WaitlistEntry.Status.OFFERED
    ).update(status=WaitlistEntry.Status.LAPSED)


def _take_place(slot: Slot, now: dt.datetime, capacity: int) -> None:
    """Take one place of a locked slot or refuse; `capacity` is the agenda's
    (see _places)."""
    _claim_place(slot, now, capacity)
    slot.save(update_fields=["taken"])


def _claim_place(slot: Slot, now: dt.datetime, capacity: int) -> None:
    """`_take_place`, but the caller saves the slot's `taken` (hold sends it
    with its event). Lapsed holds are given back only when they are what
    stands in the way (listings discount them)."""
    if slot.start < now:
        raise Invalid(_("Ese horario ya pasó."), code="past_slot")
    if slot.taken >= _places(slot, capacity):
        _release_lapsed(slot, now)
    if slot.taken >= _places(slot, capacity):
        raise Conflict(
            _("Ese horario ya no tiene cupos. Elige otro o inscríbete en la lista de espera."),
            code="slot_full",
        )
    # The row is locked: its value is current, and the check constraint
    # guards the database against any path that forgot the lock.
    slot.taken += 1


def _give_back(slot: Slot) -> None:
    slot.taken -= 1
    slot.save(update_fields=["taken"])


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


TOKEN_BYTES = 16


def _create_booking(**fields: Any) -> Booking:
    for _attempt in range(5):
        # 128 random bits (22 characters): unguessable, and short enough to
        # leave the waitlist offer's SMS room for the service.
        booking = rows.create_new(
            Booking(code=_new_code(), token=secrets.token_urlsafe(TOKEN_BYTES), **fields)
        )
        if booking is not None:
            return booking
        # A code or token collision (about 1 in 10^12) inserted nothing: draw again.
    raise RuntimeError("could not draw a unique booking code")


# -- Identity, contact and limits -------------------------------------------


def _document(doc_type: str, number: str) -> tuple[str, str]:
    try:
        document = validate_document(doc_type, number)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), code="invalid_document") from None
    return str(document.type), document.number


def _contact(email: str, phone: str, *, waitlist: bool = False) -> tuple[str, str]:
    """The contact, cleaned; refused when there is none, saying what it is
    for: a booking's confirmation, or the waitlist's offer of a freed place."""
    email, phone = (email or "").strip().lower(), (phone or "").strip()
    if not email and not phone:
        if waitlist:
            message = _("Indica un correo o un celular para avisarte si se libera un horario.")
        else:
            message = _("Indica un correo o un celular para enviarte la confirmación.")
        raise Invalid(message, code="no_contact")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid(_("El correo no es válido."), code="invalid_email") from None
    if phone:
        phone = _normalise_phone(phone)
    return email, phone


def _normalise_phone(phone: str) -> str:
    """The number in E.164, refused unless it is a mobile: notices go by SMS,
    and the notification service refuses any other number (mac/notify)."""
    parsed = parse_phone(phone)
    if parsed is None:
        raise Invalid(_("El celular no es válido."), code="invalid_phone")
    if not parsed.mobile:
        raise Invalid(
            _("Ese número no es de celular. Escribe un celular, por ejemplo 987 654 321."),
            code="invalid_phone",
        )
    return parsed.e164


def _reachable(email: str, phone: str) -> tuple[str, str] | None:
    """A stored contact as notices can use it: a number that cannot get SMS
    (kept before numbers had to be mobiles) is left out; None when nothing
    is left."""
    if phone:
        try:
            phone = _normalise_phone(phone)
        except Invalid:
            phone = ""
    return (email, phone) if email or phone else None


def _masked(number: str) -> str:
    return "*" * max(len(number) - 4, 0) + number[-4:]


def _check_limits(
    service: Service,
    doc_type: str,
    number: str,
    email: str,
    phone: str,
    now: dt.datetime,
    *,
    excluding: Booking | None = None,
) -> None:
    """Refuse a booking over a no-hoarding limit (person locked). `email`
    and `phone` are the contact the booking would use (one at least)."""
    counts = _limit_counts(service, doc_type, number, email, phone, now, excluding)
    who = {"document_type": doc_type, "document": _masked(number), "service": service.pk}
    restricted = restricted_until(doc_type, number, now) if counts.restricted else None
    if restricted is not None:
        raise LimitReached(
            _(
                "Por inasistencias repetidas, este documento no puede reservar citas hasta "
                "el %(day)s."
            )
            % {"day": _day_label(to_lima(restricted).date())},
            code="limit_no_shows",
            audit={**who, "limit": "no_shows"},
        )
    if counts.same_service >= conf("MAX_PER_DOCUMENT_SERVICE"):
        raise LimitReached(
            _("Este documento ya tiene una cita pendiente para este trámite."),
            code="limit_document_service",
            audit={**who, "limit": "document_service"},
        )
    if counts.same_entity >= conf("MAX_PER_DOCUMENT_ENTITY"):
        raise LimitReached(
            _("Este documento ya tiene %(n)s citas pendientes con esta entidad.")
            % {"n": conf("MAX_PER_DOCUMENT_ENTITY")},
            code="limit_document_entity",
            audit={**who, "limit": "document_entity"},
        )
    if counts.contact_people >= conf("MAX_PER_CONTACT"):
        raise LimitReached(
            _("Ese correo o celular ya tiene citas pendientes de %(n)s personas.")
            % {"n": conf("MAX_PER_CONTACT")},
            code="limit_contact",
            audit={**who, "limit": "contact"},
        )


@dataclass(frozen=True)
class _LimitCounts:
    same_service: int  # the document's active bookings for the service
    same_entity: int  # ... for the service's entity
    restricted: bool  # whether restricted_until gives a date (no-shows)
    contact_people: int  # other documents with a confirmed booking to come on the contact


def _limit_counts(
    service: Service,
    doc_type: str,
    number: str,
    email: str,
    phone: str,
    now: dt.datetime,
    excluding: Booking | None,
) -> _LimitCounts:
    """What the limits count, in one statement over the bookings of the
    document and of the contact. Active: held and not lapsed, or confirmed,
    for a slot still to come (`Booking.objects.active_for_document`).
    `excluding` (the hold being confirmed) counts in none of them.
    Restricted: NO_SHOW_STRIKES no-shows within NO_SHOW_WINDOW_DAYS, the last
    one less than NO_SHOW_RESTRICT_DAYS ago (`restricted_until`)."""
    moment = connection.ops.adapt_datetimefield_value
    params = {
        "doc_type": doc_type,
        "number": number,
        "email": email,
        "phone": phone,
        "excluding": excluding.pk if excluding is not None else None,
        "service": service.pk,
        "entity": service.entity_id,
        "now": moment(now),
        "window": moment(now - dt.timedelta(days=conf("NO_SHOW_WINDOW_DAYS"))),
        "restricting": moment(now - dt.timedelta(days=conf("NO_SHOW_RESTRICT_DAYS"))),
        "held": str(Booking.Status.HELD),
        "confirmed": str(Booking.Status.CONFIRMED),
        "no_show": str(Booking.Status.NO_SHOW),
    }
    with connection.cursor() as cursor:
        cursor.execute(_limits_sql(bool(email), bool(phone), excluding is not None), params)
        row = cursor.fetchone()
    same_service, same_entity, strikes, recent, people = row
    return _LimitCounts(
        same_service=same_service,
        same_entity=same_entity,
        restricted=strikes >= conf("NO_SHOW_STRIKES") and recent > 0,
        contact_people=people,
    )


@functools.cache
def _limits_sql(email: bool, phone: bool, excluding: bool) -> str:
    quote = connection.ops.quote_name
    booking, slot, service = (quote(m._meta.db_table) for m in (Booking, Slot, Service))
    mine = "(b.document_type = %(doc_type)s AND b.document_number = %(number)s)"
    not_it = " AND b.id <> %(excluding)s" if excluding else ""
    active = (
        "b.status IN (%(held)s, %(confirmed)s) AND s.start >= %(now)s AND NOT ("
        "b.status = %(held)s AND b.hold_until <= %(now)s AND b.hold_until IS NOT NULL)" + not_it
    )
    strike = "b.status = %(no_show)s AND b.no_show_at >= %(window)s"
    terms = (["b.email = %(email)s"] if email else []) + (["b.phone = %(phone)s"] if phone else [])
    contact = f"({' OR '.join(terms)})" if terms else "(1 = 0)"
    return (
        f"SELECT COUNT(*) FILTER (WHERE {mine} AND {active} AND b.service_id = %(service)s), "
        f"COUNT(*) FILTER (WHERE {mine} AND {active} AND sv.entity_id = %(entity)s), "
        f"COUNT(*) FILTER (WHERE {mine} AND {strike}), "
        f"COUNT(*) FILTER (WHERE {mine} AND {strike} AND b.no_show_at > %(restricting)s), "
        f"COUNT(DISTINCT b.document_number) FILTER (WHERE {contact} "
        f"AND b.status = %(confirmed)s AND s.start >= %(now)s AND NOT {mine}{not_it}) "
        f"FROM {booking} b INNER JOIN {slot} s ON s.id = b.slot_id "
        f"INNER JOIN {service} sv ON sv.id = b.service_id "
        f"WHERE {mine} OR {contact}"
    )


def _check_address(address: str | None, now: dt.datetime, operator: Any) -> None:
    """Refuse a place to an address that started MAX_PER_ADDRESS_DAY holds and
    bookings in 24 hours. The count and the new booking's insert must not
    interleave with another request's of the same address, or each would
    count the others' uncommitted bookings as none (30 holds got past a limit
    of 20): on PostgreSQL the address's advisory lock, held until the
    transaction ends, serialises them, and other addresses do not wait. It is
    taken first (before the slot's lock; `book` takes the person's before it)
    and its own statement: the count's snapshot must be taken after the lock
    is granted. SQLite transactions are already serial."""
    if not address or getattr(operator, "is_authenticated", False):
        return
    field = Booking._meta.get_field("client_address")
    # Keyed on the address as stored (an IPv6 one written two ways is one).
    locks.hold_until_commit(f"appointments.address:{field.get_prep_value(address)}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {connection.ops.quote_name(Booking._meta.db_table)} "
            "WHERE client_address = %s AND created_at >= %s",
            [
                field.get_db_prep_value(address, connection),
                connection.ops.adapt_datetimefield_value(now - dt.timedelta(days=1)),
            ],
        )
        (recent,) = cursor.fetchone()
    if recent >= conf("MAX_PER_ADDRESS_DAY"):
        raise LimitReached(
            _("Demasiadas reservas desde esta conexión. Inténtalo mañana o llama a Aló MAC."),
            code="limit_address",
            audit={"limit": "address", "address": address},
        )


def restricted_until(doc_type: str, number: str, now: dt.datetime) -> dt.datetime | None:
    """Until when repeated no-shows restrict this document, or None."""
    window = now - dt.timedelta(days=conf("NO_SHOW_WINDOW_DAYS"))
    strikes = list(
        Booking.objects.filter(
            document_type=doc_type,
            document_number=number,
            status=Booking.Status.NO_SHOW,
            no_show_at__gte=window,
        )
        .order_by("-no_show_at")
        .values_list("no_show_at", flat=True)[: conf("NO_SHOW_STRIKES")]
    )
    if len(strikes) < conf("NO_SHOW_STRIKES"):
        return None
    last: dt.datetime = strikes[0]  # type: ignore[assignment]
    until = last + dt.timedelta(days=conf("NO_SHOW_RESTRICT_DAYS"))
    return until if until > now else None


# -- Booking -----------------------------------------------------------------


def _channel(channel: str, operator: Any) -> str:
    if channel not in BookingChannel.values:
        raise Invalid(_("Canal de reserva desconocido."), code="channel")
    if channel == BookingChannel.PHONE and not getattr(operator, "is_authenticated", False):
        raise Forbidden(_("Solo un operador registra citas por teléfono."), code="operator")
    return channel


def _language(language: str) -> str:
    if language not in ("es", "qu"):
        raise Invalid(_("Idioma de los avisos no disponible."), code="language")
    return language


@_audited_limits
def hold(
    slot_id: int,
    service: Service,
    *,
    channel: str = BookingChannel.PORTAL,
    client_address: str | None = None,
    operator: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Hold one place of a slot for HOLD_MINUTES while the citizen completes
    the form; the returned booking's `token` confirms it."""
    now = _now(now)
    channel = _channel(channel, operator)
    _check_address(client_address, now, operator)
    slot, agenda = _lock_slot_to_hold(slot_id, service)
    _check_bookable(agenda, slot.start, now)
    _claim_place(slot, now, agenda.capacity)
    booking = _create_booking(
        slot=slot,
        center=slot.center,
        service=slot.service,
        status=Booking.Status.HELD,
        channel=channel,
        client_address=client_address,
        operator=operator if getattr(operator, "is_authenticated", False) else None,
        # A hold never outlives the slot's start (nor then can its confirmation).
        hold_until=min(now + dt.timedelta(minutes=conf("HOLD_MINUTES")), slot.start),
        created_at=now,
    )
    notices.schedule_expiry(booking)
    _publish(
        booking,
        "held",
        along=[
            rows.update(slot, ["taken"]),
            _audit("appointments.hold", booking, by=operator, slot=slot.pk),
        ],
    )
    return booking


def _get_held(token: str) -> Booking:
    """The booking of a hold's token, locked, with its slot, center, service
    and entity."""
    quote = connection.ops.quote_name
    booking_t, slot_t, center_t, service_t, entity_t = (
        quote(model._meta.db_table) for model in _HELD
    )
    lock = f" FOR UPDATE OF {booking_t}" if connection.features.has_select_for_update_of else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(rows.columns(m, qualified=True) for m in _HELD)} "
            f"FROM {booking_t} "
            f"INNER JOIN {slot_t} ON {slot_t}.id = {booking_t}.slot_id "
            f"INNER JOIN {center_t} ON {center_t}.id = {booking_t}.center_id "
            f"INNER JOIN {service_t} ON {service_t}.id = {booking_t}.service_id "
            f"INNER JOIN {entity_t} ON {entity_t}.id = {service_t}.entity_id "
            f"WHERE {booking_t}.token = %s{lock}",
            [token],
        )
        row = cursor.fetchone()
    if row is None:
        raise NotFound(_("La reserva temporal no existe."), code="hold_not_found")
    booking, booking.slot, booking.center, booking.service, entity = rows.read_joined(_HELD, row)
    booking.service.entity = entity
    return booking


_HELD = (Booking, Slot, Center, Service, Entity)


@_audited_limits
def confirm(
    token: str,
    *,
    document_type: str,
    document_number: str,
    email: str = "",
    phone: str = "",
    language: str = "es",
    attention_language: str | None = None,
    operator: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Turn a hold into a confirmed booking for one person. `language` is the
    notices'; `attention_language` the one they are attended in at the center
    (None: the hold's, Spanish, or for a waitlist offer the one chosen when
    joining), refused unless a counter serves the service in it."""
    now = _now(now)
    doc_type, number = _document(document_type, document_number)
    email, phone = _contact(email, phone)
    language = _language(language)
    _lock_person(doc_type, number)
    booking = _get_held(token)
    if booking.status == Booking.Status.CONFIRMED:
        raise Conflict(_("Esta cita ya está confirmada."), code="already_confirmed")
    if booking.status != Booking.Status.HELD or booking.hold_until <= now:  # type: ignore[operator]
        raise Conflict(
            _("La reserva temporal venció. Vuelve a elegir un horario."), code="hold_expired"
        )
    if booking.slot.start <= now:
        # Holds made before they were capped at the slot's start.
        raise Invalid(_("Ese horario ya pasó."), code="past_slot")
    if booking.document_number and (booking.document_type, booking.document_number) != (
        doc_type,
        number,
    ):
        # A waitlist offer is personal: only the person who waited confirms it.
        raise Forbidden(
            _("Esta oferta es para otra persona: escribe el documento con el que te inscribiste."),
            code="not_your_offer",
        )
    # The offer and the counters may have changed since the hold (cached: no
    # statement).
    _check_offered(booking.center, booking.service)
    _check_staffed(booking.center, booking.service)
    attention = _attention_language(
        booking.center, booking.service, attention_language or booking.attention_language
    )
    _check_limits(booking.service, doc_type, number, email, phone, now, excluding=booking)
    booking.status = Booking.Status.CONFIRMED
    booking.document_type, booking.document_number = doc_type, number
    booking.email, booking.phone, booking.language = email, phone, language
    booking.attention_language = attention
    booking.hold_until = None
    booking.confirmed_at = now
    if getattr(operator, "is_authenticated", False) and booking.operator_id is None:
        booking.operator = operator
    confirmed = rows.update(
        booking,
        [
            "status",
            "document_type",
            "document_number",
            "email",
            "phone",
            "language",
            "attention_language",
            "hold_until",
            "confirmed_at",
            "operator",
        ],
    )
    if booking.channel == BookingChannel.WAITLIST:
        WaitlistEntry.objects.filter(booking=booking, status=WaitlistEntry.Status.OFFERED).update(
            status=WaitlistEntry.Status.BOOKED
        )
    notices.confirmed(booking, now=now)
    # The booking row is locked: its update can go last, with the event.
    _publish(
        booking,
        "confirmed",
        along=[
            confirmed,
            _audit("appointments.confirm", booking, by=operator, channel=booking.channel),
        ],
    )
    return booking


@transaction.atomic
def release(token: str, *, operator: Any = None, now: dt.datetime | None = None) -> Booking:
    """The citizen (or the operator booking for them) gives up a hold
    (chooses another slot): its place is free at once instead of when the
    hold runs out."""
    now = _now(now)
    found = Booking.objects.filter(token=token).values_list("slot_id", flat=True).first()
    if found is None:
        raise NotFound(_("La reserva temporal no existe."), code="hold_not_found")
    slot = _lock_slot(found)  # a hold never changes slot
    booking = _get_held(token)
    if booking.status != Booking.Status.HELD:
        raise Conflict(_("Esta reserva ya no está pendiente."), code="not_held")
    booking.status = Booking.Status.EXPIRED
    booking.hold_until = now
    booking.save(update_fields=["status", "hold_until"])
    _give_back(slot)
    WaitlistEntry.objects.filter(booking=booking, status=WaitlistEntry.Status.OFFERED).update(
        status=WaitlistEntry.Status.LAPSED
    )
    audit.record("appointments.release", booking, by=operator)
    offer_to_waitlist(slot, now=now)
    return booking


@_audited_limits
def book(
    slot_id: int,
    service: Service,
    *,
    document_type: str,
    document_number: str,
    email: str = "",
    phone: str = "",
    language: str = "es",
    attention_language: str = Language.SPANISH,
    channel: str = BookingChannel.API,
    client_address: str | None = None,
    operator: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Hold and confirm in one step (API and the phone channel)."""
    now = _now(now)
    # The person is locked before hold locks the slot (confirm locks it again).
    _lock_person(*_document(document_type, document_number))
    held = hold.__wrapped__(  # type: ignore[attr-defined]
        slot_id,
        service,
        channel=channel,
        client_address=client_address,
        operator=operator,
        now=now,
    )
    booking: Booking = confirm.__wrapped__(  # type: ignore[attr-defined]
        held.token,
        document_type=document_type,
        document_number=document_number,
        email=email,
        phone=phone,
        language=language,
        attention_language=attention_language,
        operator=operator,
        now=now,
    )
    return booking


# -- Managing a booking ------------------------------------------------------


def get_booking(
    code: str, document_type: str, document_number: str, *, lock: bool = False
) -> Booking:
    """The booking with this code, only for the document it was made for.

    A wrong document answers like an unknown code, so codes cannot be
    probed."""
    code = (code or "").strip().upper()
    try:
        doc_type, number = _document(document_type, document_number)
    except Invalid:
        raise
    qs = Booking.objects.select_related("slot", "center", "service__entity")
    if lock:
        qs = qs.select_for_update(of=("self",))
    booking = qs.filter(code=code).first()
    if booking is None or (booking.document_type, booking.document_number) != (doc_type, number):
        raise NotFound(
            _("No encontramos una cita con ese código y ese documento."), code="booking_not_found"
        )
    return booking


def _relock(booking: Booking, doc_type: str, number: str) -> Booking:
    """The booking read again under its row lock, once its slots are locked.
    Only reschedule moves a booking, under the person's lock that the caller
    holds, so the slot is the one locked."""
    locked = get_booking(booking.code, doc_type, number, lock=True)
    if locked.slot_id != booking.slot_id:
        raise Conflict(_("Esta cita ya no se puede cambiar."), code="changed")
    return locked


def _manageable(booking: Booking, now: dt.datetime) -> None:
    if booking.status == Booking.Status.CANCELLED:
        raise Conflict(_("Esta cita fue anulada."), code="cancelled")
    if booking.status == Booking.Status.CHECKED_IN:
        raise Conflict(_("Ya se registró tu llegada para esta cita."), code="checked_in")
    if booking.status != Booking.Status.CONFIRMED:
        raise Conflict(_("Esta cita ya no se puede cambiar."), code="not_confirmed")
    if booking.slot.start <= now:
        raise Conflict(_("La hora de esta cita ya pasó."), code="past_booking")


@_audited_limits
def reschedule(
    code: str,
    *,
    document_type: str,
    document_number: str,
    slot_id: int,
    operator: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Move a confirmed booking to another slot of the same service: the same
    row moves, so the citizen never has two bookings or none."""
    now = _now(now)
    doc_type, number = _document(document_type, document_number)
    _lock_person(doc_type, number)
    booking = get_booking(code, doc_type, number)
    _manageable(booking, now)
    # A confirmed booking's sequence counts its reschedules (cancelling ends it).
    limit = conf("MAX_RESCHEDULES")
    if booking.sequence >= limit and not getattr(operator, "is_authenticated", False):
        raise LimitReached(
            _(
                "Esta cita ya se reprogramó %(n)s veces. Para cambiarla otra vez, anúlala y "
                "reserva una nueva, o llama a Aló MAC."
            )
            % {"n": limit},
            code="limit_reschedules",
            audit={"limit": "reschedules", "booking": booking.pk},
        )
    if slot_id == booking.slot_id:
        raise Invalid(_("La cita ya está en ese horario."), code="same_slot")
    # Both slots locked in id order, like every other path; then the booking.
    first, second = sorted([booking.slot_id, slot_id])
    locked = {first: _lock_slot(first), second: _lock_slot(second)}
    booking = _relock(booking, doc_type, number)
    _manageable(booking, now)
    old, new = locked[booking.slot_id], locked[slot_id]
    if new.service_id != booking.service_id or new.center_id != booking.center_id:
        raise Invalid(
            _("Solo se reprograma a otro horario del mismo trámite y centro."),
            code="slot_service",
        )
    # Refused as the booking's check-in would be (from the cached skills, as
    # booking does): a move keeps the language of attention, chosen with the
    # booking, so one nobody serves now would only move a booking that
    # check-in refuses. Worded for the citizen who holds it ("holder"), who
    # cannot choose another language here: cancel and book again, or the
    # center will cancel it (cancel_by_center).
    agenda = agenda_for(new.center, new.service, audience="holder")
    _attention_language(new.center, new.service, booking.attention_language, audience="holder")
    _check_bookable(agenda, new.start, now)
    _take_place(new, now, agenda.capacity)
    _give_back(old)
    previous = old.start
    booking.slot = new
    booking.sequence += 1
    booking.save(update_fields=["slot", "sequence"])
    audit.record(
        "appointments.reschedule",
        booking,
        by=operator,
        previous=previous.isoformat(),
        start=new.start.isoformat(),
    )
    notices.rescheduled(booking, now=now)
    offer_to_waitlist(old, now=now)
    _publish(booking, "rescheduled")
    return booking


@transaction.atomic
def cancel(
    code: str,
    *,
    document_type: str,
    document_number: str,
    operator: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    now = _now(now)
    doc_type, number = _document(document_type, document_number)
    _lock_person(doc_type, number)
    booking = get_booking(code, doc_type, number)
    _manageable(booking, now)
    slot = _lock_slot(booking.slot_id)
    booking = _relock(booking, doc_type, number)
    _manageable(booking, now)
    _give_back(slot)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.sequence += 1
    booking.save(update_fields=["status", "cancelled_at", "sequence"])
    audit.record("appointments.cancel", booking, by=operator)
    notices.cancelled(booking, now=now)
    offer_to_waitlist(slot, now=now)
    _publish(booking, "cancelled")
    return booking


@transaction.atomic
def cancel_by_center(code: str, *, by: Any, now: dt.datetime | None = None) -> Booking:
    """Staff of the center (its coordinator, a national supervisor; `by=None`
    is the system) cancel a confirmed booking that check-in would refuse
    (`queries.unservable`: the center closed at its time, the service not
    offered or served by no active counter, its language of attention served
    by none), so that the citizen hears it before travelling: its place goes
    back to the slot, the reason is kept on the booking
    (`cancelled_by_center`) and in the audit, and the citizen gets a notice in
    the booking's language with the .ics CANCEL and a link to book again.

    The freed place is offered to the waitlist only when the slot itself can
    be served (the booking's language was the trouble): otherwise the offer
    would hold a place that check-in refuses too; and then to the first who
    waits in a language served there (those waiting in the booking's
    language stay waiting, `_next_in_line`). Refused with nothing
    changed: 403 `not_this_center` for other staff; 409 with check-in's
    codes (`cancelled`, `checked_in`, ...) or `past_booking` when the
    booking is no longer confirmed and to come, and `not_affected` when its
    check-in would be accepted now. The booking is read again under the
    slot's lock then its own (the order of every other path), so a citizen
    cancelling or checking in at the same time makes this one refused, or
    finds it cancelled: one cancellation, one notice."""
    from mac.appointments.queries import unservable
    from mac.core import access

    now = _now(now)
    code = (code or "").strip().upper()
    booking = Booking.objects.filter(code=code).select_related("center").first()
    if booking is None:
        raise NotFound(_("No existe una cita con ese código."), code="booking_not_found")
    if by is not None and not access.centers_editable_by(by).filter(pk=booking.center_id).exists():
        raise Forbidden(
            _("Solo la coordinación de %(center)s anula sus citas.")
            % {"center": booking.center.name},
            code="not_this_center",
        )
    slot = _lock_slot(booking.slot_id)
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "center", "service__entity")
        .get(pk=booking.pk)
    )
    if booking.slot_id != slot.pk:
        raise Conflict(_("La cita cambió de horario mientras tanto."), code="changed")
    _cancellable_by_center(booking, now)
    affected = unservable(booking, now=now)
    if affected is None:
        raise Conflict(_("El centro puede atender esta cita: no se anula."), code="not_affected")
    _give_back(slot)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by_center = affected.reason
    booking.sequence += 1
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by_center", "sequence"])
    audit.record(
        "appointments.cancel_by_center",
        booking,
        by=by,
        reason=affected.reason,
        detail=affected.detail,
    )
    notices.cancelled_by_center(booking, now=now)
    if affected.reason == Unservable.LANGUAGE_UNAVAILABLE:
        offer_to_waitlist(slot, now=now)
    _publish(booking, "cancelled")
    return booking


def _cancellable_by_center(booking: Booking, now: dt.datetime) -> None:
    """Refuse a booking that is no longer confirmed and to come, with the
    code check-in would give (a citizen may have cancelled or checked in
    meanwhile)."""
    refusals = {
        Booking.Status.CANCELLED: (_("La cita ya estaba anulada."), "cancelled"),
        Booking.Status.CHECKED_IN: (_("La llegada de esta cita ya se registró."), "checked_in"),
        Booking.Status.NO_SHOW: (_("La cita ya venció sin que llegara."), "no_show"),
    }
    if booking.status in refusals:
        message, code = refusals[booking.status]  # type: ignore[index]
        raise Conflict(message, code=code)
    if booking.status != Booking.Status.CONFIRMED:
        raise Conflict(_("La cita no está confirmada."), code="not_confirmed")
    if booking.slot.start <= now:
        raise Conflict(_("La hora de esta cita ya pasó."), code="past_booking")


# -- Check-in ----------------------------------------------------------------


def check_in_from(booking: Booking) -> dt.datetime:
    """When the citizen may check in: CHECKIN_EARLY_MINUTES before the slot,
    but not before the center opens the period the slot is in (the queue
    issues no ticket while the center is closed)."""
    start = booking.slot.start
    early = start - dt.timedelta(minutes=conf("CHECKIN_EARLY_MINUTES"))
    center = Center.objects.prefetch_related("hours", "exceptions").get(pk=booking.center_id)
    local = to_lima(start)
    for opens, closes in center.hours_on(local.date()):
        if opens <= local.time() < closes:
            return max(early, dt.datetime.combine(local.date(), opens, tzinfo=LIMA))
    return early


@transaction.atomic
def check_in(
    code: str,
    *,
    document_type: str,
    document_number: str,
    source: str = "kiosk",
    center: Center | None = None,
    language: str = "",
    by: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    """The citizen arrived: the booking becomes a ticket in the queue, with
    appointment priority inside the window, as a walk-in when too late.

    `source` is where it happened (kiosk, orientation, qr, api) and is kept
    in the audit; `center`, when given, is where the citizen is, and a
    booking of another center is refused. The visit speaks the booking's
    language of attention (not its notices'), or `language` when one was
    chosen at check-in (the kiosk's language switch, the desk's form)."""
    from mac.queueing import actions as queue
    from mac.queueing.errors import LanguageUnavailable, QueueError, ServiceUnstaffed
    from mac.queueing.models import Source
    from mac.queueing.queries import forget_upcoming

    now = _now(now)
    booking = get_booking(code, document_type, document_number, lock=True)
    if center is not None and booking.center_id != center.pk:
        raise Conflict(
            with_spanish(
                _("Tu cita es en el %(center)s, no en este centro."),
                {"center": booking.center.name},
            ),
            code="other_center",
        )
    if booking.status == Booking.Status.CANCELLED:
        raise Conflict(_("Esta cita fue anulada; saca un ticket sin cita."), code="cancelled")
    if booking.status == Booking.Status.CHECKED_IN:
        raise Conflict(_("Ya se registró tu llegada para esta cita."), code="checked_in")
    if booking.status == Booking.Status.NO_SHOW:
        raise Conflict(
            _("La cita venció sin que se registrara tu llegada; saca un ticket sin cita."),
            code="no_show",
        )
    if booking.status != Booking.Status.CONFIRMED:
        raise Conflict(_("Esta cita no está confirmada."), code="not_confirmed")
    start = booking.slot.start
    if to_lima(start).date() != to_lima(now).date():
        raise Conflict(
            _("Tu cita es el %(day)s a las %(time)s.")
            % {"day": _day_label(to_lima(start).date()), "time": f"{to_lima(start):%H:%M}"},
            code="wrong_day",
        )
    early = start - dt.timedelta(minutes=conf("CHECKIN_EARLY_MINUTES"))
    opens = check_in_from(booking)
    if now < early:
        raise Conflict(
            _("Es temprano: puedes registrar tu llegada desde las %(time)s.")
            % {"time": f"{to_lima(opens):%H:%M}"},
            code="too_early",
        )
    if now < opens:
        # Inside the window, but the center has not opened yet.
        raise Conflict(
            _("El centro abre a las %(time)s: puedes registrar tu llegada desde esa hora.")
            % {"time": f"{to_lima(opens):%H:%M}"},
            code="before_opening",
        )
    late = now > start + dt.timedelta(minutes=conf("CHECKIN_LATE_MINUTES"))
    # Too late, the ticket is a walk-in's from where the citizen checked in.
    walk_in = {"orientation": Source.DESK, "api": Source.API}.get(source, Source.KIOSK)
    try:
        ticket = queue.issue_ticket(
            booking.center,
            booking.service,
            by=by,
            source=walk_in if late else Source.APPOINTMENT,
            document_type=booking.document_type,
            document_number=booking.document_number,
            appointment_at=None if late else start,
            language=language or booking.attention_language,
            checked_in=True,
            now=now,
        )
    except (ServiceUnstaffed, LanguageUnavailable) as refused:
        # Worded for where the citizen is: at a kiosk (or its QR reader), for them.
        audience = "citizen" if source in ("kiosk", "qr") else "desk"
        raise Conflict(refused.text(audience), code=refused.code) from None
    except QueueError as refused:
        raise Conflict(refused.message, code=refused.code) from None
    booking.status = Booking.Status.CHECKED_IN
    booking.checked_in_at = now
    booking.late = late
    booking.ticket = ticket
    booking.save(update_fields=["status", "checked_in_at", "late", "ticket"])
    audit.record(
        "appointments.check_in", booking, by=by, source=source, late=late, ticket=ticket.code
    )
    # The queue's snapshot caches who is still expected: not this citizen now.
    center_id = booking.center_id
    transaction.on_commit(lambda: forget_upcoming(center_id))
    _publish(booking, "checked_in")
    return booking


# -- Waitlist ------------------------------------------------------------------


@_audited_limits
def join_waitlist(
    center: Center,
    service: Service,
    day: dt.date,
    *,
    document_type: str,
    document_number: str,
    email: str = "",
    phone: str = "",
    language: str = "es",
    attention_language: str = Language.SPANISH,
    operator: Any = None,
    now: dt.datetime | None = None,
) -> WaitlistEntry:
    """Put a person on a day's waitlist; `operator`, who did it for a caller
    (audited). `attention_language` goes to the booking offered to them."""
    now = _now(now)
    agenda = agenda_for(center, service)
    _check_day(agenda, day, now)
    attention_language = _attention_language(center, service, attention_language)
    doc_type, number = _document(document_type, document_number)
    email, phone = _contact(email, phone, waitlist=True)
    _lock_person(doc_type, number)
    # Refused like the booking it waits for would be (an offer would lapse).
    _check_limits(service, doc_type, number, email, phone, now)
    if WaitlistEntry.objects.filter(
        center=center,
        service=service,
        date=day,
        document_type=doc_type,
        document_number=number,
        status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
    ).exists():
        raise Conflict(_("Ya estás en la lista de espera de ese día."), code="already_waiting")
    entry = WaitlistEntry.objects.create(
        center=center,
        service=service,
        date=day,
        document_type=doc_type,
        document_number=number,
        email=email,
        phone=phone,
        language=_language(language),
        attention_language=attention_language,
        created_at=now,
    )
    audit.record("appointments.waitlist_join", entry, by=operator, date=day.isoformat())
    return entry


def _next_in_line(slot: Slot, now: dt.datetime) -> tuple[WaitlistEntry, tuple[str, str]] | None:
    """The first person waiting for the slot's day who can be offered it,
    locked, with the contact to tell them. Skipped, and left waiting: those
    no notice can reach, those whose language of attention no active counter
    of the center serves the service in now (the booking offered would be
    one that check-in refuses: `cancel_by_center` frees such a place), and
    those whose confirmation a no-hoarding limit would refuse now (a pending
    booking for the service, say), whose offer would only hold the place
    until it lapsed. (Read without the person's lock, which comes before the
    slot's: confirm checks the limits again.)"""
    waiting = WaitlistEntry.objects.filter(
        center_id=slot.center_id,
        service_id=slot.service_id,
        date=to_lima(slot.start).date(),
        status=WaitlistEntry.Status.WAITING,
    ).order_by("created_at", "pk")
    for candidate in waiting:
        contact = _reachable(candidate.email, candidate.phone)
        if (
            contact is None
            or not _served_in(slot, candidate.attention_language)
            or _over_a_limit(slot.service, candidate, contact, now)
        ):
            continue
        entry = (
            WaitlistEntry.objects.select_for_update()
            .filter(pk=candidate.pk, status=WaitlistEntry.Status.WAITING)
            .first()
        )
        if entry is not None:
            return entry, contact
    return None


def _served_in(slot: Slot, language: str) -> bool:
    """Whether an active counter of the slot's center serves its service in
    `language` (Spanish always), as check-in asks (`check_language`: the
    cached skills, no statement once warm)."""
    try:
        check_language(slot.center, slot.service, language, audience="booking")
    except LanguageUnavailable:
        return False
    return True


def _over_a_limit(
    service: Service, entry: WaitlistEntry, contact: tuple[str, str], now: dt.datetime
) -> bool:
    try:
        _check_limits(service, entry.document_type, entry.document_number, *contact, now)
    except LimitReached:
        return True
    return False


def offer_to_waitlist(slot: Slot, *, now: dt.datetime) -> Booking | None:
    """Hold a freed place of a locked slot for the first person waiting for
    that day, and tell them. Called inside the action that freed it."""
    _release_lapsed(slot, now)
    capacity = _agenda_capacity(slot)
    if slot.taken >= _places(slot, capacity) or slot.start <= now:
        return None
    servable = _offered(slot.center, slot.service) and slot.service_id in staffed_services(
        slot.center_id
    )
    if not servable:
        # Its confirmation would be refused: the offer would only hold the place.
        return None
    found = _next_in_line(slot, now)
    if found is None:
        return None
    entry, (email, phone) = found
    offer_until = min(now + dt.timedelta(minutes=conf("WAITLIST_OFFER_MINUTES")), slot.start)
    _take_place(slot, now, capacity)
    booking = _create_booking(
        slot=slot,
        center_id=slot.center_id,
        service_id=slot.service_id,
        status=Booking.Status.HELD,
        channel=BookingChannel.WAITLIST,
        document_type=entry.document_type,
        document_number=entry.document_number,
        email=email,
        phone=phone,
        language=entry.language,
        attention_language=entry.attention_language,
        hold_until=offer_until,
        created_at=now,
    )
    entry.status = WaitlistEntry.Status.OFFERED
    entry.booking = booking
    entry.save(update_fields=["status", "booking"])
    audit.record("appointments.waitlist_offer", booking, entry=entry.pk)
    notices.waitlist_offer(booking, now=now)
    notices.schedule_expiry(booking)
    return booking


# -- Background work -------------------------------------------------------------


@transaction.atomic
def expire_hold(booking_id: int, *, now: dt.datetime | None = None) -> bool:
    """Give back the place of a hold that ran out; offer it on. True when it
    expired something."""
    now = _now(now)
    booking = Booking.objects.filter(pk=booking_id).only("slot_id").first()
    if booking is None:
        return False
    slot = _lock_slot(booking.slot_id)
    before = slot.taken
    _release_lapsed(slot, now)
    if slot.taken == before:
        return False
    offer_to_waitlist(slot, now=now)
    return True


@transaction.atomic
def mark_no_show(booking_id: int, *, now: dt.datetime | None = None) -> bool:
    """A confirmed booking whose grace period ended without a check-in."""
    now = _now(now)
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "center", "service")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or booking.status != Booking.Status.CONFIRMED:
        return False
    if now < booking.slot.start + dt.timedelta(minutes=conf("NO_SHOW_GRACE_MINUTES")):
        return False
    booking.status = Booking.Status.NO_SHOW
    booking.no_show_at = now
    booking.save(update_fields=["status", "no_show_at"])
    audit.record("appointments.no_show", booking)
    notices.no_show(
        booking,
        restricted=restricted_until(booking.document_type, booking.document_number, now),
        now=now,
    )
    _publish(booking, "no_show")
    return True


def _publish(booking: Booking, what: str, *, along: list[Statement] | None = None) -> None:
    """The booking's event, sent with the action's last writes (`along`)."""
    publish_on_commit(
        f"appointments.{booking.center_id}.{what}",
        {
            "booking": booking.pk,
            "service": booking.service_id,
            "slot": booking.slot_id,
            "status": booking.status,
        },
        along=along or (),
    )


def _audit(action: str, obj: Booking, *, by: Any, **data: Any) -> Statement:
    """The audit row of `audit.record`, as a statement to send with the event."""
    return rows.insert(audit.entry(action, obj, by=by, **data))


__all__ = [
    "LIMA",
    "agenda_for",
    "book",
    "cancel",
    "cancel_by_center",
    "check_in",
    "check_in_from",
    "confirm",
    "expire_hold",
    "get_booking",
    "hold",
    "join_waitlist",
    "mark_no_show",
    "open_day",
    "release",
    "reschedule",
    "restricted_until",
]
