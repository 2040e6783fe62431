"""Holding and booking: hold a slot's place while the citizen fills the
form, confirm it for one person, give it back (`release`), or hold and
confirm in one step (`book`, the API and the phone channel). Holding and
confirming are the hot path (`mac bench booking`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from mac.appointments import notices
from mac.appointments.actions._shared import (
    _audit,
    _audited_limits,
    _claim_place,
    _contact,
    _create_booking,
    _document,
    _give_back,
    _language,
    _lock_person,
    _lock_slot,
    _now,
    _publish,
)
from mac.appointments.actions.limits import _check_address, _check_limits
from mac.appointments.actions.opening import (
    _attention_language,
    _check_bookable,
    _check_offered,
    _check_staffed,
    _giving_appointments,
)
from mac.appointments.actions.waitlist import offer_to_waitlist
from mac.appointments.conf import conf
from mac.appointments.errors import Conflict, Forbidden, Invalid, NotFound
from mac.appointments.models import Agenda, Booking, BookingChannel, Slot, WaitlistEntry
from mac.catalog.models import Entity, Service
from mac.centers.models import Center
from mac.core import audit, rows
from mac.queueing.models import Language


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


def _channel(channel: str, operator: Any) -> str:
    if channel not in BookingChannel.values:
        raise Invalid(_("Canal de reserva desconocido."), code="channel")
    if channel == BookingChannel.PHONE and not getattr(operator, "is_authenticated", False):
        raise Forbidden(_("Solo un operador registra citas por teléfono."), code="operator")
    return channel


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
