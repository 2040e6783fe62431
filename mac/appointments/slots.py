"""Slot generation: a pure function of an agenda's rule, the center's opening
periods on a Lima day, whether the day is closed, and the clock.

No database access here, so that tests and the booking benchmark can run it
with any clock (ARCHITECTURE.md, "Pure policies")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mac.core.calendar import LIMA


@dataclass(frozen=True)
class Rule:
    slot_minutes: int
    capacity: int
    lead_minutes: int
    horizon_days: int


@dataclass(frozen=True)
class SlotSpec:
    start: dt.datetime  # aware, UTC
    end: dt.datetime
    capacity: int


class DayNotBookable(Exception):
    """Why a day has no slots at all, in a word a caller maps to a message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "past", "beyond_horizon", "closed"


def _utc(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=LIMA).astimezone(dt.UTC)


def check_day(day: dt.date, rule: Rule, now: dt.datetime) -> None:
    """Refuse a day before today (Lima) or past the booking horizon."""
    today = now.astimezone(LIMA).date()
    if day < today:
        raise DayNotBookable("past")
    if day > today + dt.timedelta(days=rule.horizon_days):
        raise DayNotBookable("beyond_horizon")


def day_slots(
    day: dt.date,
    periods: list[tuple[dt.time, dt.time]],
    rule: Rule,
    now: dt.datetime,
    *,
    closed: bool = False,
) -> list[SlotSpec]:
    """The slots of one Lima calendar day that can still be booked at `now`.

    `periods` are the center's opening periods that day (local times); a
    slot must end by the period's close, and start at least `lead_minutes`
    after `now`. A closed day (holiday, declared non-working day, exception)
    or a day without periods raises DayNotBookable("closed")."""
    check_day(day, rule, now)
    if closed or not periods:
        raise DayNotBookable("closed")
    earliest = now + dt.timedelta(minutes=rule.lead_minutes)
    return [slot for slot in all_day_slots(day, periods, rule) if slot.start >= earliest]


def all_day_slots(
    day: dt.date, periods: list[tuple[dt.time, dt.time]], rule: Rule
) -> list[SlotSpec]:
    """Every slot of the day regardless of the clock (to store them once)."""
    length = dt.timedelta(minutes=rule.slot_minutes)
    slots: list[SlotSpec] = []
    for opens, closes in sorted(periods):
        start, close = _utc(day, opens), _utc(day, closes)
        while start + length <= close:
            slots.append(SlotSpec(start, start + length, rule.capacity))
            start += length
    return slots
