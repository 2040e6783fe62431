"""The waitlist: join a day's list, and offer a freed place to the first
person waiting who can be offered it (`offer_to_waitlist`, called inside the
action that freed it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from mac.appointments import notices
from mac.appointments.actions._shared import (
    _audited_limits,
    _contact,
    _create_booking,
    _document,
    _language,
    _lock_person,
    _now,
    _places,
    _reachable,
    _release_lapsed,
    _take_place,
)
from mac.appointments.actions.limits import _check_limits
from mac.appointments.actions.opening import _attention_language, _check_day, _offered, agenda_for
from mac.appointments.conf import conf
from mac.appointments.errors import Conflict, LimitReached
from mac.appointments.models import Agenda, Booking, BookingChannel, Slot, WaitlistEntry
from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core import audit
from mac.core.calendar import to_lima
from mac.queueing.actions import check_language
from mac.queueing.errors import LanguageUnavailable
from mac.queueing.models import Language
from mac.queueing.queries import staffed_services


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


def _agenda_capacity(slot: Slot) -> int:
    agenda = Agenda.objects.filter(center_id=slot.center_id, service_id=slot.service_id).first()
    return agenda.capacity if agenda is not None else slot.capacity
