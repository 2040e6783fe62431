"""Background tasks of appointments (django-tasks, database backend)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from mac.appointments import actions, notices
from mac.appointments.conf import conf
from mac.appointments.models import Booking


@task()
def expire_hold(booking_id: int) -> bool:
    return actions.expire_hold(booking_id)


@task()
def remind(booking_id: int, sequence: int, minutes_before: int) -> bool:
    """Send one reminder unless the booking changed or ended since, or a
    closer reminder is already due (a worker that was down catches up with
    one message, not two)."""
    booking = (
        Booking.objects.select_related("slot", "center", "service__entity")
        .filter(pk=booking_id, status=Booking.Status.CONFIRMED, sequence=sequence)
        .first()
    )
    if booking is None:
        return False
    until = booking.slot.start - timezone.now()
    closer = [m for m in conf("REMINDER_OFFSETS_MINUTES") if m < minutes_before]
    if until <= dt.timedelta(0) or any(until <= dt.timedelta(minutes=m) for m in closer):
        return False
    notices.reminder(booking, minutes_before=minutes_before)
    return True


@task()
def check_no_show(booking_id: int) -> bool:
    return actions.mark_no_show(booking_id)
