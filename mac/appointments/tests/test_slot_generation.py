"""Slots are a pure function of the agenda's rule, the day's opening periods
and the clock; times are Lima's, stored in UTC."""

import datetime as dt

import pytest

from mac.appointments.slots import DayNotBookable, Rule, day_slots
from mac.core.calendar import LIMA

RULE = Rule(slot_minutes=30, capacity=2, lead_minutes=60, horizon_days=30)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LIMA)
DAY = dt.date(2026, 12, 2)


def test_it_cuts_each_period_into_whole_slots_that_end_by_closing():
    # given a day open 08:30-10:00 and 14:00-15:15
    periods = [(dt.time(14, 0), dt.time(15, 15)), (dt.time(8, 30), dt.time(10, 0))]
    # when
    slots = day_slots(DAY, periods, RULE, NOW)
    # then 15:00-15:30 would end after closing, so it is not offered
    assert [s.start.astimezone(LIMA).strftime("%H:%M") for s in slots] == [
        "08:30",
        "09:00",
        "09:30",
        "14:00",
        "14:30",
    ]
    assert {s.capacity for s in slots} == {2}
    assert all(s.start.tzinfo == dt.UTC for s in slots)


def test_an_evening_slot_in_lima_is_stored_on_the_next_utc_day_but_belongs_to_its_lima_day():
    # given a center open until 20:00
    slots = day_slots(DAY, [(dt.time(19, 0), dt.time(20, 0))], RULE, NOW)
    # then the 19:30 slot is 00:30 UTC of the 3rd, and its Lima date is the 2nd
    last = slots[-1]
    assert last.start == dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC)
    assert last.start.astimezone(LIMA).date() == DAY
    assert last.end == dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC)


def test_slots_inside_the_lead_time_are_not_offered_today():
    # given it is 09:00 and the lead time is one hour
    slots = day_slots(NOW.date(), [(dt.time(8, 30), dt.time(11, 0))], RULE, NOW)
    # then the first slot offered starts at 10:00
    assert [s.start.astimezone(LIMA).strftime("%H:%M") for s in slots] == ["10:00", "10:30"]


@pytest.mark.parametrize(
    ("label", "day", "closed", "reason"),
    [
        ("yesterday", dt.date(2026, 11, 30), False, "past"),
        ("past the horizon", dt.date(2027, 1, 1), False, "beyond_horizon"),
        ("a closed day", DAY, True, "closed"),
    ],
)
def test_days_that_cannot_be_booked_say_why(label, day, closed, reason):
    with pytest.raises(DayNotBookable) as refused:
        day_slots(day, [(dt.time(8, 30), dt.time(10, 0))], RULE, NOW, closed=closed)
    assert refused.value.reason == reason, label


def test_the_last_day_of_the_horizon_is_bookable():
    day = NOW.date() + dt.timedelta(days=30)
    assert len(day_slots(day, [(dt.time(8, 30), dt.time(9, 30))], RULE, NOW)) == 2
