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
    """Send the reminder if one is due, unless the booking changed or ended
    since (a worker that was down catches up with one message, not two, worded
    from the time left), then enqueue the booking's next step."""
    booking = (
        Booking.objects.select_related("slot", "center", "service__entity")
        .filter(pk=booking_id, status=Booking.Status.CONFIRMED, sequence=sequence)
        .first()
    )
    if booking is None:
        return False
    now = timezone.now()
    until = booking.slot.start - now
    due = [m for m in conf("REMINDER_OFFSETS_MINUTES") if until <= dt.timedelta(minutes=m)]
    sent = until > dt.timedelta(0) and bool(due)
    if sent:
        notices.reminder(booking, now=now)
    notices.schedule_follow_up(booking, now=now)
    return sent


@task()
def check_no_show(booking_id: int, sequence: int) -> bool:
    if not Booking.objects.filter(pk=booking_id, sequence=sequence).exists():
        return False
    return actions.mark_no_show(booking_id)
