"""Managing a booking: find it by its code and document (`get_booking`),
move it to another slot (`reschedule`), cancel it (the citizen), or cancel
one the center cannot attend (`cancel_by_center`, its staff)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mac.appointments import notices
from mac.appointments.actions._shared import (
    _audited_limits,
    _document,
    _give_back,
    _lock_person,
    _lock_slot,
    _now,
    _publish,
    _take_place,
)
from mac.appointments.actions.opening import _attention_language, _check_bookable, agenda_for
from mac.appointments.actions.waitlist import offer_to_waitlist
from mac.appointments.conf import conf
from mac.appointments.errors import Conflict, Forbidden, Invalid, LimitReached, NotFound
from mac.appointments.models import Booking, Unservable
from mac.core import audit


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
