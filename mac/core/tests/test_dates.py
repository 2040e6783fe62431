"""Dates written out for citizens, in Lima time, in Spanish and in Quechua
(Django has no Quechua locale: the names come from the project's catalogue)."""

from __future__ import annotations

import datetime as dt

import pytest

from mac.core.dates import spelled, whole_hours

# Thursday 3 December 2026, 09:30 in Lima (14:30 UTC).
MOMENT = dt.datetime(2026, 12, 3, 14, 30, tzinfo=dt.UTC)


class TestSpelled:
    @pytest.mark.parametrize(
        ("language", "options", "expected"),
        [
            ("es", {"weekday": True}, "jueves 3 de diciembre de 2026, 09:30"),
            ("es", {}, "3 de diciembre de 2026, 09:30"),
            ("qu", {"weekday": True}, "Illapachaw 3 Qhapaq raymi killa 2026, 09:30"),
            ("qu", {}, "3 Qhapaq raymi killa 2026, 09:30"),
        ],
        ids=["es-weekday", "es", "qu-weekday", "qu"],
    )
    def test_it_spells_a_moment_in_lima_time(self, language, options, expected):
        assert spelled(MOMENT, language, **options) == expected

    @pytest.mark.parametrize(
        ("language", "options", "expected"),
        [
            ("es", {"weekday": True}, "viernes 5 de febrero de 2027"),
            ("es", {"year": False}, "5 de febrero"),
            ("qu", {"weekday": True}, "Ch'askachaw 5 Hatun puquy killa 2027"),
            ("qu", {"year": False}, "5 Hatun puquy killa"),
        ],
        ids=["es-weekday", "es-no-year", "qu-weekday", "qu-no-year"],
    )
    def test_it_spells_a_date_without_a_time(self, language, options, expected):
        assert spelled(dt.date(2027, 2, 5), language, **options) == expected

    def test_it_takes_the_lima_day_of_a_late_evening_moment(self):
        # 04:00 UTC on the 4th is 23:00 on the 3rd in Lima
        late = dt.datetime(2026, 12, 4, 4, 0, tzinfo=dt.UTC)

        assert spelled(late, "qu", weekday=True) == "Illapachaw 3 Qhapaq raymi killa 2026, 23:00"


class TestWholeHours:
    @pytest.mark.parametrize(
        ("minutes", "hours"),
        [(60, 1), (120, 2), (1440, 24), (90, None), (45, None), (0, None), (-60, None)],
        ids=["one", "two", "a-day", "ninety", "under-an-hour", "zero", "negative"],
    )
    def test_it_gives_hours_only_for_a_whole_number_of_them(self, minutes, hours):
        assert whole_hours(minutes) == hours
