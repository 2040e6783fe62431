"""Deadlines in business days: weekends, Peru's national holidays and the
declared non-working days of the NonWorkingDay table do not count.

Expected dates below were counted by hand on a 2025 calendar (El Peruano's
list of national holidays: 23 July, 28-29 July, 6 August, 30 August, 8 October,
1 November, 8-9 December, 25 December, 1 January)."""

from __future__ import annotations

import datetime as dt

import pytest

from mac.core.calendar import add_business_days
from mac.core.models import NonWorkingDay
from mac.quality.deadlines import business_days_before

D = dt.date


@pytest.mark.django_db
class TestAddBusinessDays:
    def test_it_counts_from_the_next_day(self):
        # Monday 3 March 2025 + 1 = Tuesday 4 March
        assert add_business_days(D(2025, 3, 3), 1) == D(2025, 3, 4)

    def test_it_returns_the_same_day_for_zero_days(self):
        assert add_business_days(D(2025, 3, 8), 0) == D(2025, 3, 8)

    def test_it_skips_the_weekend(self):
        # Friday 7 March + 1 = Monday 10 March
        assert add_business_days(D(2025, 3, 7), 1) == D(2025, 3, 10)

    def test_it_skips_fiestas_patrias(self):
        # Friday 25 July 2025; Mon 28 and Tue 29 July are holidays.
        assert add_business_days(D(2025, 7, 25), 1) == D(2025, 7, 30)
        assert add_business_days(D(2025, 7, 25), 3) == D(2025, 8, 1)

    def test_it_skips_christmas_and_new_year(self):
        # Wed 24 Dec 2025: Thu 25 holiday, Fri 26, Mon 29, Tue 30, Wed 31,
        # Thu 1 Jan holiday, Fri 2 Jan.
        assert add_business_days(D(2025, 12, 24), 1) == D(2025, 12, 26)
        assert add_business_days(D(2025, 12, 24), 5) == D(2026, 1, 2)

    def test_it_skips_a_declared_non_working_day(self):
        # given Friday 26 December 2025 declared non-working (illustrative)
        NonWorkingDay.objects.create(date=D(2025, 12, 26), name="Día no laborable (ilustrativo)")

        # then Wed 24 Dec + 1 skips Thu 25 (holiday) and Fri 26 (declared)
        assert add_business_days(D(2025, 12, 24), 1) == D(2025, 12, 29)
        assert add_business_days(D(2025, 12, 24), 5) == D(2026, 1, 5)

    def test_it_crosses_a_long_weekend_from_the_friday_before(self):
        # Friday 5 December 2025; Mon 8 and Tue 9 December are holidays.
        assert add_business_days(D(2025, 12, 5), 1) == D(2025, 12, 10)

    def test_it_computes_a_complaint_answer_deadline_of_30_business_days(self):
        # Filed Monday 14 July 2025. July: 15-18 (4), 21, 22 (6), 23 is Air
        # Force Day, 24, 25 (8), 28-29 Fiestas Patrias, 30, 31 (10); August:
        # 1 (11), 4, 5 (13), 6 Junín, 7, 8 (15), 11-15 (20), 18-22 (25),
        # 25-29 (30): Friday 29 August (30 August, Santa Rosa, is a Saturday).
        assert add_business_days(D(2025, 7, 14), 30) == D(2025, 8, 29)

    def test_it_refuses_negative_days(self):
        with pytest.raises(ValueError):
            add_business_days(D(2025, 3, 3), -1)

    def test_it_sees_a_declared_period_longer_than_its_first_window(self):
        # given: 60 declared days from Tue 3 March 2026 (an emergency); the
        # first read covers 33 days only
        NonWorkingDay.objects.bulk_create(
            NonWorkingDay(date=D(2026, 3, 3) + dt.timedelta(days=i), name="Emergencia")
            for i in range(60)
        )

        # then: the first business day after Mon 2 March is Mon 4 May (the
        # block ends on Fri 1 May), and back from it, Mon 2 March again
        assert add_business_days(D(2026, 3, 2), 1) == D(2026, 5, 4)
        assert business_days_before(D(2026, 5, 4), 1) == D(2026, 3, 2)
