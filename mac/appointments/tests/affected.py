"""Shared world of the tests of bookings that check-in would refuse (no
tests here).

Centro MAC Lima Norte (Monday to Friday 08:30-18:30) books RENIEC's
"Duplicado de DNI", which counter 10 serves in Spanish and counter 12 in
Spanish and Quechua, and "Rectificación de datos", which counter 11 serves;
one place per 20-minute slot, 60 minutes' lead. The clock stands on Tuesday
2026-12-01, 09:00 in Lima; the bookings are for the next days. The back
office changes the center through its actions, as the admin does, with their
events run (they drop the queue's cached skills and schedules)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from mac.appointments import actions
from mac.appointments.models import Booking
from mac.appointments.testing import agenda
from mac.catalog import actions as catalog
from mac.catalog.models import Offer, Service
from mac.centers import actions as centers
from mac.centers.models import Center, OpeningException, OpeningHours
from mac.core import actions as core
from mac.core.calendar import LIMA, to_lima
from mac.core.models import NonWorkingDay
from mac.queueing import actions as queue
from mac.queueing.models import Counter
from mac.queueing.testing import make_counter, queue_service

from .conftest import Setup

DAY = dt.date(2026, 12, 2)  # a Wednesday
NEXT_DAY = dt.date(2026, 12, 3)
_documents = itertools.count(1)


@dataclass
class World:
    setup: Setup
    center: Center
    dni: Service
    other: Service
    dni_counter: Counter
    quechua_counter: Counter
    other_counter: Counter


@pytest.fixture
def world(setup: Setup) -> World:
    center, reniec = setup.center, setup.personas.reniec
    other = queue_service(reniec, "Rectificación de datos", center)
    agenda(center, other)
    return World(
        setup=setup,
        center=center,
        dni=setup.service,
        other=other,
        dni_counter=Counter.objects.get(center=center, number=10),
        quechua_counter=make_counter(center, reniec, 12, [setup.service], languages=["es", "qu"]),
        other_counter=make_counter(center, reniec, 11, [other]),
    )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LIMA)


def book(
    service: Service,
    start: dt.datetime,
    *,
    language: str = "es",
    attention: str = "es",
    email: str = "",
    phone: str = "",
    center: Center | None = None,
) -> Booking:
    """A confirmed booking of the slot that starts at `start`, for a new
    person (a new document and, unless given, email)."""
    n = next(_documents)
    center = center or service.offers.get().center
    slot = next(
        s for s in actions.open_day(center, service, to_lima(start).date()) if s.start == start
    )
    return actions.book(
        slot.pk,
        service,
        document_type="dni",
        document_number=f"{30_000_000 + n:08d}",
        email=email or (f"persona{n}@example.pe" if not phone else ""),
        phone=phone,
        language=language,
        attention_language=attention,
    )


def document_of(booking: Booking) -> dict[str, Any]:
    return {"document_type": booking.document_type, "document_number": booking.document_number}


class BackOffice:
    """The back office's changes, each through its action with its events run."""

    def __init__(self, capture: Callable[..., Any]):
        self._capture = capture

    def _do(self, action: Callable[[], Any]) -> Any:
        with self._capture(execute=True):
            return action()

    def disable(self, counter: Counter) -> None:
        counter.active = False
        self._do(lambda: queue.save_counter(counter, by=None, changed_fields=["active"]))

    def speak_only_spanish(self, counter: Counter) -> None:
        counter.languages = ["es"]
        self._do(lambda: queue.save_counter(counter, by=None, changed_fields=["languages"]))

    def close(self, center: Center, day: dt.date, reason: str = "Simulacro de sismo") -> None:
        row = OpeningException(center=center, date=day, closed=True, reason=reason)
        self._do(lambda: centers.save_schedule_row(row, by=None))

    def shorten(self, center: Center, day: dt.date, opens: dt.time, closes: dt.time) -> None:
        row = OpeningException(
            center=center, date=day, closed=False, opens=opens, closes=closes, reason="Inventario"
        )
        self._do(lambda: centers.save_schedule_row(row, by=None))

    def drop_weekday(self, center: Center, weekday: int) -> None:
        for row in OpeningHours.objects.filter(center=center, weekday=weekday):
            with self._capture(execute=True):
                centers.delete_schedule_row(row, by=None)

    def declare(self, day: dt.date, name: str = "Día no laborable compensable") -> None:
        self._do(lambda: core.save_non_working_day(NonWorkingDay(date=day, name=name), by=None))

    def stop_operating(self, center: Center) -> None:
        center.status = Center.Status.CLOSED
        self._do(lambda: centers.save_center(center, by=None, changed_fields=["status"]))

    def withdraw_offer(self, center: Center, service: Service) -> None:
        offer = Offer.objects.get(center=center, service=service)
        offer.active = False
        self._do(lambda: catalog.save_offer(offer, by=None, changed_fields=["active"]))


@pytest.fixture
def back_office(django_capture_on_commit_callbacks: Any) -> BackOffice:
    return BackOffice(django_capture_on_commit_callbacks)
