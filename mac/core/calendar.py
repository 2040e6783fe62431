"""Business days: Saturdays and Sundays, Peru's national holidays (`holidays`
PE) and the declared non-working days of the NonWorkingDay table are not
business days. "Today" is the date in America/Lima."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

LIMA = ZoneInfo("America/Lima")


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> holidays.HolidayBase:
    # Spanish names whatever the process locale (citizens read them).
    return holidays.country_holidays("PE", years=year, language="es")


def national_holiday_name(day: dt.date) -> str | None:
    return _national_holidays(day.year).get(day)


def declared_non_working_days(start: dt.date, end: dt.date) -> set[dt.date]:
    from mac.core.models import NonWorkingDay

    return set(
        NonWorkingDay.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def is_business_day(day: dt.date, *, declared: set[dt.date] | None = None) -> bool:
    if day.weekday() >= 5 or national_holiday_name(day):
        return False
    if declared is None:
        declared = declared_non_working_days(day, day)
    return day not in declared


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date `days` business days after `start`, counting from the day after
    (TUO Ley 27444: a term starts the day after notification)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    # One query per window: 2x plus a month covers ordinary holidays; a long
    # declared period (an emergency) reads the next window when reached.
    window = dt.timedelta(days=days * 2 + 31)
    loaded_until = start + window
    declared = declared_non_working_days(start, loaded_until)
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day > loaded_until:
            declared |= declared_non_working_days(day, day + window)
            loaded_until = day + window
        if is_business_day(day, declared=declared):
            counted += 1
    return day


def today_lima(now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(LIMA).date()


def to_lima(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LIMA)
