"""One rule for whether a center opens on a day, and when: its exception for
that date wins (it may open on a holiday on purpose, or close); otherwise a
national holiday or a declared non-working day is closed; otherwise the
weekly hours. The queue, appointments, the API and the portal all ask it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from mac.centers.models import Center, DayOff, OpeningException
from mac.core.actions import save_non_working_day
from mac.core.calendar import LIMA
from mac.core.models import NonWorkingDay
from mac.core.testing import make_center

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2026, 12, 2)
THURSDAY = dt.date(2026, 12, 3)
SUNDAY = dt.date(2026, 12, 6)
INMACULADA = dt.date(2026, 12, 8)  # Tuesday, national holiday
INDEPENDENCIA = dt.date(2026, 7, 28)  # Tuesday, national holiday
WEEKDAY_HOURS = [(dt.time(8, 30), dt.time(18, 30))]  # make_center's Monday to Friday
MORNING = [(dt.time(9, 0), dt.time(13, 0))]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LIMA)


def opens(center: Center, day: dt.date) -> None:
    OpeningException.objects.create(
        center=center,
        date=day,
        closed=False,
        opens=dt.time(9),
        closes=dt.time(13),
        reason="Campaña",
    )


def closes(center: Center, day: dt.date) -> None:
    OpeningException.objects.create(center=center, date=day, reason="Inventario")


def declared(center: Center, day: dt.date) -> None:
    NonWorkingDay.objects.create(date=day, name="Día no laborable para el sector público")


def upcoming_changes(html: str) -> str:
    start = html.index("Próximos cambios de horario")
    return html[start : html.index("</ul>", start)]


def schedule(center: Center) -> Center:
    return Center.objects.prefetch_related("hours", "exceptions").get(pk=center.pk)


Given = Callable[[Center], None]
CASES: list[tuple[str, dt.date, list[Given], list[tuple[dt.time, dt.time]]]] = [
    ("a weekday", WEDNESDAY, [], WEEKDAY_HOURS),
    ("a Sunday", SUNDAY, [], []),
    ("a national holiday", INMACULADA, [], []),
    ("a declared non-working day", THURSDAY, [lambda c: declared(c, THURSDAY)], []),
    ("a holiday the center opens", INMACULADA, [lambda c: opens(c, INMACULADA)], MORNING),
    (
        "a non-working day the center opens",
        THURSDAY,
        [lambda c: declared(c, THURSDAY), lambda c: opens(c, THURSDAY)],
        MORNING,
    ),
    ("a holiday the center also closes", INMACULADA, [lambda c: closes(c, INMACULADA)], []),
    ("a weekday the center closes", WEDNESDAY, [lambda c: closes(c, WEDNESDAY)], []),
    ("a Sunday the center opens", SUNDAY, [lambda c: opens(c, SUNDAY)], MORNING),
]


class TestHoursOn:
    @pytest.mark.parametrize(
        ("label", "day", "given", "expected"), CASES, ids=[c[0] for c in CASES]
    )
    def test_it_follows_the_rule(
        self, label: str, day: dt.date, given: list[Given], expected: list
    ) -> None:
        # given
        center = make_center("lima-norte")
        for step in given:
            step(center)
        # when / then
        assert schedule(center).hours_on(day) == expected

    def test_the_weekly_hours_ignore_holidays(self) -> None:
        # the timetable of the week still says Tuesdays open 08:30-18:30
        center = schedule(make_center("lima-norte"))
        assert center.weekly_hours_on(INMACULADA) == WEEKDAY_HOURS
        assert center.hours_on(INMACULADA) == []


class TestDayOff:
    def test_it_names_the_national_holiday(self) -> None:
        center = schedule(make_center("lima-norte"))
        assert center.day_off(INDEPENDENCIA) == DayOff("holiday", "Día de la Independencia")
        assert center.day_off(WEDNESDAY) is None

    def test_it_names_the_declared_non_working_day(self) -> None:
        center = make_center("lima-norte")
        declared(center, THURSDAY)
        assert schedule(center).day_off(THURSDAY) == DayOff(
            "non_working", "Día no laborable para el sector público"
        )

    def test_an_exception_of_the_center_wins(self) -> None:
        center = make_center("lima-norte")
        opens(center, INMACULADA)
        closes(center, dt.date(2026, 12, 25))
        center = schedule(center)
        assert (center.day_off(INMACULADA), center.day_off(dt.date(2026, 12, 25))) == (None, None)


class TestIsOpenAt:
    def test_it_is_closed_on_a_national_holiday(self) -> None:
        center = schedule(make_center("lima-norte"))
        assert center.is_open_at(at(INDEPENDENCIA, 10)) is False
        assert center.is_open_at(at(dt.date(2026, 7, 30), 10)) is True  # the Thursday after

    def test_it_is_closed_on_a_declared_non_working_day(self) -> None:
        center = make_center("lima-norte")
        declared(center, THURSDAY)
        assert schedule(center).is_open_at(at(THURSDAY, 10)) is False

    def test_it_opens_on_a_holiday_with_the_exceptions_hours(self) -> None:
        center = make_center("lima-norte")
        opens(center, INMACULADA)
        center = schedule(center)
        assert [center.is_open_at(at(INMACULADA, h)) for h in (8, 9, 12, 13)] == [
            False,
            True,
            True,
            False,
        ]

    def test_a_day_declared_through_the_action_closes_at_once(
        self, django_capture_on_commit_callbacks
    ) -> None:
        # given the declared days were read (and cached) while open
        center = schedule(make_center("lima-norte"))
        assert center.is_open_at(at(THURSDAY, 10)) is True
        # when the day is declared non-working (its event drops the cache)
        with django_capture_on_commit_callbacks(execute=True):
            save_non_working_day(
                NonWorkingDay(date=THURSDAY, name="Día no laborable decretado"), by=None
            )
        # then
        assert center.is_open_at(at(THURSDAY, 10)) is False

    def test_it_reads_no_database_once_cached(self, django_assert_num_queries) -> None:
        # the queue asks it for every ticket: declared days come from the cache
        center = schedule(make_center("lima-norte"))
        center.is_open_at(at(WEDNESDAY, 10))
        with django_assert_num_queries(0):
            assert center.is_open_at(at(THURSDAY, 10)) is True
            assert center.is_open_at(at(INMACULADA, 10)) is False


class TestOpenNowInTheApi:
    def test_it_says_closed_on_a_national_holiday(self, client: Client) -> None:
        make_center("lima-norte")
        with time_machine.travel(at(INDEPENDENCIA, 10), tick=False):
            body = client.get("/api/v1/centers").json()
        assert [(c["slug"], c["open_now"]) for c in body] == [("lima-norte", False)]

    def test_it_says_closed_on_a_declared_non_working_day(self, client: Client) -> None:
        declared(make_center("lima-norte"), THURSDAY)
        with time_machine.travel(at(THURSDAY, 10), tick=False):
            body = client.get("/api/v1/centers").json()
        assert [(c["slug"], c["open_now"]) for c in body] == [("lima-norte", False)]

    def test_it_says_open_on_a_holiday_the_center_opens(self, client: Client) -> None:
        center = make_center("lima-norte")
        opens(center, INMACULADA)
        with time_machine.travel(at(INMACULADA, 10), tick=False):
            listed = client.get("/api/v1/centers").json()
            detail = client.get(f"/api/v1/centers/{center.pk}").json()
        assert (listed[0]["open_now"], detail["open_now"]) == (True, True)


class TestOpenNowInThePortal:
    def test_the_list_says_closed_on_a_national_holiday(self, client: Client) -> None:
        make_center("lima-norte")
        with time_machine.travel(at(INDEPENDENCIA, 10), tick=False):
            html = client.get("/centros/").content.decode()
        assert "Cerrado ahora" in html
        assert "Abierto ahora" not in html

    def test_the_page_says_closed_and_lists_the_holiday(self, client: Client) -> None:
        make_center("lima-norte")
        with time_machine.travel(at(INDEPENDENCIA, 10), tick=False):
            html = client.get("/centros/lima-norte/").content.decode()
        assert "Cerrado ahora" in html
        assert "Abierto ahora" not in html
        changes = upcoming_changes(html)
        # today and tomorrow (Gran Parada Militar), nothing else in the week
        assert changes.count("<li>") == 2
        assert "martes 28 de julio</strong>: cerrado" in changes
        assert "(Día de la Independencia)" in changes
        assert "miércoles 29 de julio</strong>: cerrado" in changes

    def test_the_page_says_open_on_a_holiday_the_center_opens(self, client: Client) -> None:
        opens(make_center("lima-norte"), INMACULADA)
        with time_machine.travel(at(INMACULADA, 10), tick=False):
            html = client.get("/centros/lima-norte/").content.decode()
        assert "Abierto ahora" in html
        changes = upcoming_changes(html)
        assert "martes 8 de diciembre</strong>: 09:00–13:00" in changes
        assert "Inmaculada Concepción" not in changes
        assert "miércoles 9 de diciembre</strong>: cerrado" in changes  # Batalla de Ayacucho
