"""Background work (the tasks of tasks.py): a hold that ran out gives its
place back (`expire_hold`), and a confirmed booking whose grace period
ended without a check-in becomes a no-show (`mark_no_show`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from mac.appointments import notices
from mac.appointments.actions._shared import _lock_slot, _now, _publish, _release_lapsed
from mac.appointments.actions.limits import restricted_until
from mac.appointments.actions.waitlist import offer_to_waitlist
from mac.appointments.conf import conf
from mac.appointments.models import Booking
from mac.core import audit


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
