"""The answer is due 30 business days after filing, counted from the day
after, in Lima's calendar: weekends, Peru's national holidays and declared
non-working days do not count.

Expected dates are counted by hand below on the holidays `holidays` PE lists
for 2026 and 2027 (printed with holidays.country_holidays("PE", years=...)):
2026: 28-29 Jul, 6 Aug, 30 Aug (Sun), 8 Oct, 1 Nov (Sun), 8-9 Dec, 25 Dec;
2027: 1 Jan, 25-26 Mar; plus 29 Jun 2026 (Mon) and 23 Jul 2026 (Thu)."""

from __future__ import annotations

import datetime as dt

import pytest

from mac.core.calendar import LIMA
from mac.core.models import NonWorkingDay
from mac.quality import deadlines
from mac.quality.testing import file

D = dt.date


def lima(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LIMA)


@pytest.mark.django_db
class TestDueDate:
    def test_it_skips_christmas_and_new_year(self, world):
        # Wed 23 Dec 2026: Thu 24 (1), Fri 25 Christmas, 28-31 Dec (2-5), Fri 1 Jan
        # New Year, 4-8 Jan (6-10), 11-15 (11-15), 18-22 (16-20), 25-29 (21-25),
        # 1-5 Feb (26-30): Friday 5 February 2027.
        complaint = file(world.personas, now=lima(D(2026, 12, 23), 10, 15))

        assert complaint.due_date == D(2027, 2, 5)
        assert complaint.code == "RENIEC-2026-000001"

    def test_it_skips_fiestas_patrias_and_junin(self, world):
        # Mon 27 Jul 2026: 28-29 Jul holidays, Thu 30 (1), Fri 31 (2), 3-5 Aug (3-5),
        # Thu 6 Aug Junín, Fri 7 (6), 10-14 (7-11), 17-21 (12-16), 24-28 (17-21),
        # Mon 31 (22), 1-4 Sep (23-26), 7-10 Sep (27-30): Thursday 10 September.
        complaint = file(world.personas, now=lima(D(2026, 7, 27), 9))

        assert complaint.due_date == D(2026, 9, 10)

    def test_it_counts_from_the_tuesday_after_a_long_weekend(self, world):
        # Fri 26 Jun 2026; Sat, Sun and Mon 29 Jun (San Pedro y San Pablo) do not
        # count: Tue 30 Jun (1), 1-3 Jul (2-4), 6-10 (5-9), 13-17 (10-14),
        # 20-22 (15-17), Thu 23 Air Force Day, Fri 24 (18), Mon 27 (19), 28-29
        # holidays, 30-31 (20-21), 3-5 Aug (22-24), Thu 6 Junín, Fri 7 (25),
        # 10-14 Aug (26-30): Friday 14 August.
        complaint = file(world.personas, now=lima(D(2026, 6, 26), 17, 30))

        assert deadlines.business_days_before(complaint.due_date, 29) == D(2026, 6, 30)
        assert complaint.due_date == D(2026, 8, 14)

    def test_it_crosses_the_year_end_by_lima_date_not_utc(self, world):
        # Thu 31 Dec 2026 at 23:30 in Lima is already 1 January in UTC: the claim
        # is of 2026. Fri 1 Jan holiday, 4-8 Jan (1-5), 11-15 (6-10), 18-22
        # (11-15), 25-29 (16-20), 1-5 Feb (21-25), 8-12 Feb (26-30).
        complaint = file(world.personas, now=lima(D(2026, 12, 31), 23, 30))

        assert complaint.filed_at.astimezone(dt.UTC).date() == D(2027, 1, 1)
        assert (complaint.code, complaint.year) == ("RENIEC-2026-000001", 2026)
        assert complaint.due_date == D(2027, 2, 12)

    def test_it_skips_a_declared_non_working_day(self, world):
        # given Thu 24 December 2026 declared non-working (illustrative)
        NonWorkingDay.objects.create(date=D(2026, 12, 24), name="Día no laborable (ilustrativo)")

        # when filed on Wed 23 December
        complaint = file(world.personas, now=lima(D(2026, 12, 23), 10))

        # then 28-31 Dec (1-4), 4-8 Jan (5-9), 11-15 (10-14), 18-22 (15-19),
        # 25-29 (20-24), 1-5 Feb (25-29), Mon 8 Feb (30)
        assert complaint.due_date == D(2027, 2, 8)

    def test_it_alerts_five_business_days_before_and_the_day_after(self, world):
        # Due Fri 5 Feb 2027: Thu 4 (1), Wed 3 (2), Tue 2 (3), Mon 1 (4), Fri 29 Jan (5).
        soon, over = deadlines.alert_times(D(2027, 2, 5))

        assert soon == lima(D(2027, 1, 29), 8)
        assert over == lima(D(2027, 2, 6), 0)
