from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine

from mac.accounts.models import User
from mac.core.calendar import LIMA
from mac.core.testing import Personas
from mac.quality.testing import make_officers

# Tuesday 3 November 2026, 10:00 in Lima.
NOW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=LIMA)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    personas: Personas
    olga: User  # RENIEC's officer
    omar: User  # RENIEC's alternate
    sofia: User  # SUNAT's supervisor and officer
    media: Path


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a fresh directory, so a test sees every file written."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def world(personas: Personas, media: Path, settings: Any) -> World:
    settings.QUALITY = {"POW_REQUIRED": False}
    people = make_officers(personas)
    return World(personas, people["olga"], people["omar"], people["sofia"], media)


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())
