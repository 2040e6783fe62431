"""Deadlines of complaints in Lima's business days (mac.core.calendar:
weekends, `holidays` PE and the declared NonWorkingDay rows excluded).

Pure functions of dates, apart from reading the declared non-working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mac.core.calendar import (
    LIMA,
    add_business_days,
    declared_non_working_days,
    is_business_day,
)
from mac.quality.conf import ANSWER_BUSINESS_DAYS, conf


def due_date(filed_on: dt.date) -> dt.date:
    """The last day to answer: 30 business days counted from the day after
    filing (DS 007-2020-PCM)."""
    return add_business_days(filed_on, ANSWER_BUSINESS_DAYS)


def business_days_before(day: dt.date, days: int) -> dt.date:
    """The business day from which `day` is the `days`-th business day."""
    window = dt.timedelta(days=days * 2 + 31)
    loaded_from = day - window
    declared = declared_non_working_days(loaded_from, day)
    counted = 0
    while counted < days:
        day -= dt.timedelta(days=1)
        if day < loaded_from:  # a long declared period: read the window before
            declared |= declared_non_working_days(day - window, day)
            loaded_from = day - window
        if is_business_day(day, declared=declared):
            counted += 1
    return day


def business_days_left(today: dt.date, due: dt.date, declared: set[dt.date]) -> int:
    """Business days after `today` up to and including `due`; once `due` has
    passed, minus the business days after `due` up to and including `today`
    (so a Saturday after a Friday deadline is overdue by 0 business days)."""
    first, last, sign = (today, due, 1) if today <= due else (due, today, -1)
    count, day = 0, first
    while day < last:
        day += dt.timedelta(days=1)
        if is_business_day(day, declared=declared):
            count += 1
    return sign * count


def alert_times(due: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """When to warn the officer that the deadline is near, and when to tell
    that it has passed (the start of the day after the due date, in Lima)."""
    soon = business_days_before(due, conf("ALERT_BUSINESS_DAYS_BEFORE"))
    at_soon = dt.datetime.combine(soon, dt.time(conf("ALERT_HOUR")), tzinfo=LIMA)
    at_over = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0), tzinfo=LIMA)
    return at_soon, at_over


@dataclass(frozen=True)
class Urgency:
    """How close a complaint's deadline is, for colouring lists."""

    level: str  # "overdue", "soon", "ok" or "closed"
    days_left: int


def urgency(today: dt.date, due: dt.date, *, is_open: bool, declared: set[dt.date]) -> Urgency:
    if not is_open:
        return Urgency("closed", 0)
    left = business_days_left(today, due, declared)
    if today > due:
        return Urgency("overdue", left)
    if left <= conf("ALERT_BUSINESS_DAYS_BEFORE"):
        return Urgency("soon", left)
    return Urgency("ok", left)
