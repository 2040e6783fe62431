"""Builders for appointment tests, demo data and the booking benchmark."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mac.appointments.models import Agenda
from mac.catalog.models import Service
from mac.centers.models import Center
from mac.queueing.testing import LIMA

# A Tuesday morning in Lima, when the builders' centers are open.
MORNING = dt.datetime(2026, 12, 1, 9, 0, tzinfo=LIMA)
# The DNI of the test personas' citizen and another valid one.
DNI = "10117410"
OTHER_DNI = "40506070"


def agenda(center: Center, service: Service, **kw: Any) -> Agenda:
    defaults = {"counters": 1, "per_counter": 1, "slot_minutes": 20, "lead_minutes": 60}
    defaults.update(kw)
    made, _ = Agenda.objects.update_or_create(center=center, service=service, defaults=defaults)
    return made


def lima(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LIMA)
