"""Which days are business days."""

from __future__ import annotations

import datetime as dt

import pytest

from mac.core.calendar import is_business_day, national_holiday_name, today_lima
from mac.core.models import NonWorkingDay

D = dt.date


@pytest.mark.django_db
class TestIsBusinessDay:
    @pytest.mark.parametrize(
        "case, day, expected",
        [
            ("monday", D(2025, 3, 3), True),
            ("saturday", D(2025, 3, 8), False),
            ("sunday", D(2025, 3, 9), False),
            ("independence day", D(2025, 7, 28), False),
            ("military parade day", D(2025, 7, 29), False),
            ("battle of ayacucho", D(2025, 12, 9), False),
            ("christmas", D(2025, 12, 25), False),
            ("new year", D(2026, 1, 1), False),
            ("maundy thursday 2025", D(2025, 4, 17), False),
            ("good friday 2025", D(2025, 4, 18), False),
            ("day after christmas", D(2025, 12, 26), True),
        ],
    )
    def test_it_knows_weekends_and_national_holidays(self, case, day, expected):
        assert is_business_day(day) is expected, case

    def test_it_excludes_a_declared_non_working_day(self):
        NonWorkingDay.objects.create(date=D(2025, 12, 26), name="Día no laborable (ilustrativo)")

        assert is_business_day(D(2025, 12, 26)) is False

    def test_it_names_the_national_holiday(self):
        assert national_holiday_name(D(2025, 7, 28)) is not None
        assert national_holiday_name(D(2025, 7, 30)) is None

    def test_it_takes_today_in_lima(self):
        # 03:00 UTC on 1 March is still 28 February (22:00) in Lima (UTC-5).
        now = dt.datetime(2025, 3, 1, 3, 0, tzinfo=dt.UTC)

        assert today_lima(now) == D(2025, 2, 28)
