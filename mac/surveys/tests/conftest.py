from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from mac.core.testing import Personas
from mac.queueing import cache
from mac.queueing.queries import forget_service_times
from mac.queueing.testing import OPEN
from mac.surveys import conf, noise
from mac.surveys.testing import World, build_world


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    forget_service_times()
    cache.clear()


@pytest.fixture(autouse=True)
def _known_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same answers' keys and the same noise key in every run, so that
    tests can assert the exact (noisy) figures."""
    monkeypatch.setattr(noise, "KEYS", random.Random(2026))
    monkeypatch.setitem(conf.DEFAULTS, "NOISE_SECRET", "pruebas-del-ruido")


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """The clock stopped on Tuesday 2026-12-01, 10:00 in Lima."""
    with time_machine.travel(OPEN, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(personas: Personas, clock: time_machine.Traveller, settings: Any) -> World:
    settings.SURVEYS = {"MIN_SAMPLE": 2}
    return build_world(personas)
