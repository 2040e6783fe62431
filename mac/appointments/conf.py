"""Appointment settings: defaults here, overridden by settings.APPOINTMENTS
(a dict with any of these keys), which mac/settings.py fills from the
environment."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Minutes a place stays held while the citizen completes the form.
    "HOLD_MINUTES": 7,
    # Minutes a freed place stays held for the first person on the waitlist.
    "WAITLIST_OFFER_MINUTES": 120,
    # No-hoarding limits: active (held or confirmed, still to come) bookings.
    "MAX_PER_DOCUMENT_SERVICE": 1,
    "MAX_PER_DOCUMENT_ENTITY": 3,
    # People (documents) whose pending bookings share one email or phone.
    "MAX_PER_CONTACT": 4,
    # Holds and bookings started from one client address in 24 hours (the
    # phone channel's operators are exempt: they book for many callers).
    "MAX_PER_ADDRESS_DAY": 20,
    # Reschedules of one booking by the citizen (portal, API): each one
    # sends an email and an SMS, so an unlimited number would let a caller
    # flood the contact given. Staff (Aló MAC, the centers) are exempt.
    "MAX_RESCHEDULES": 3,
    # Repeated no-shows: this many within NO_SHOW_WINDOW_DAYS restrict new
    # bookings for NO_SHOW_RESTRICT_DAYS.
    "NO_SHOW_STRIKES": 2,
    "NO_SHOW_WINDOW_DAYS": 90,
    "NO_SHOW_RESTRICT_DAYS": 30,
    # Check-in window around the slot's start, and the no-show grace.
    "CHECKIN_EARLY_MINUTES": 30,
    "CHECKIN_LATE_MINUTES": 15,
    "NO_SHOW_GRACE_MINUTES": 30,
    # Reminders, as offsets before the slot's start.
    "REMINDER_OFFSETS_MINUTES": [24 * 60, 120],
    # Proof of work on the public form: the largest secret number (work grows
    # with it; about 0.5 s in a phone's browser at 50,000) and its lifetime.
    "POW_MAX_NUMBER": 50_000,
    "POW_SECONDS": 600,
    "POW_REQUIRED": True,
}


def conf(name: str) -> Any:
    overrides: dict[str, Any] = getattr(settings, "APPOINTMENTS", {})
    return overrides.get(name, DEFAULTS[name])
