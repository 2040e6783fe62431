"""Settings of the complaints and compliments books: defaults here,
overridden by settings.QUALITY (a dict with any of these keys).

The 30 business days of the answer are the law (DS 007-2020-PCM), not a
setting."""

from __future__ import annotations

from typing import Any

from django.conf import settings

ANSWER_BUSINESS_DAYS = 30
# Attachments: at most this many bytes in total (DS 007-2020-PCM: 20 MB).
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

DEFAULTS: dict[str, Any] = {
    # Files one claim may carry (their total stays within 20 MB).
    "MAX_ATTACHMENTS": 5,
    # Claims and compliments filed from one client address in 24 hours by
    # anonymous clients (staff who file for citizens are exempt).
    "MAX_PER_ADDRESS_DAY": 10,
    # Public lookups (code and document) that found nothing, from one client
    # address in an hour; past it that address is refused for the hour.
    "MAX_LOOKUP_FAILURES_HOUR": 20,
    # The officer and the alternate are alerted this many business days
    # before the deadline, and again when it has passed.
    "ALERT_BUSINESS_DAYS_BEFORE": 5,
    # Local time of day of the alerts (hour in Lima).
    "ALERT_HOUR": 8,
    # Proof of work on the public forms (see mac/core/pow.py).
    "POW_REQUIRED": True,
    "POW_MAX_NUMBER": 50_000,
    "POW_SECONDS": 1800,
}


def conf(name: str) -> Any:
    overrides: dict[str, Any] = getattr(settings, "QUALITY", {})
    return overrides.get(name, DEFAULTS[name])
