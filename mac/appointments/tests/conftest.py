from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine

from mac.appointments.models import Agenda
from mac.appointments.testing import MORNING, agenda
from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core.testing import Personas
from mac.queueing.testing import make_counter, queue_service


@dataclass
class Setup:
    personas: Personas
    center: Center
    service: Service
    agenda: Agenda


@pytest.fixture
def clock():
    """The clock stopped on Tuesday 2026-12-01, 09:00 in Lima."""
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(personas: Personas, clock, settings) -> Setup:
    settings.APPOINTMENTS = {"POW_REQUIRED": False}
    service = queue_service(personas.reniec, "Duplicado de DNI", personas.lima_norte)
    # A counter serves it (nobody signed in): a check-in's ticket can be called.
    make_counter(personas.lima_norte, personas.reniec, 10, [service])
    return Setup(
        personas=personas,
        center=personas.lima_norte,
        service=service,
        agenda=agenda(personas.lima_norte, service),
    )
