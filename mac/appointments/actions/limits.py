"""The no-hoarding limits: per document (service, entity, repeated
no-shows), per contact and per client address, counted in plain SQL under
the person's (or the address's) lock; `restricted_until` for no-shows."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from mac.appointments.actions._shared import _day_label
from mac.appointments.conf import conf
from mac.appointments.errors import LimitReached
from mac.appointments.models import Booking, Slot
from mac.catalog.models import Service
from mac.core import locks
from mac.core.calendar import to_lima


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
