"""Codes stay unique and without gaps when many claims are filed at once,
with real concurrent connections on PostgreSQL (threads, one connection
each). SQLite has one writer at a time: no race to prove there.

PostgreSQL's default allows 100 connections, shared with other test runs, so
`n` claims go over at most LANES connections, all released together, each
connection sending its share back to back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from mac.core.calendar import LIMA
from mac.core.testing import race as shared_race
from mac.quality.errors import QualityError
from mac.quality.models import CodeSequence, Complaint
from mac.quality.testing import file

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has a single writer"
    ),
]
LANES = 30
NOW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=LIMA)


def race(n: int, work: Callable[[int], Any]) -> list[Any]:
    """work(0..n-1) over min(n, LANES) connections released together; each
    result is the return value or the QualityError's code."""
    return shared_race(n, work, lanes=LANES, refused=(QualityError,))


class TestCodesUnderConcurrency:
    def test_90_claims_at_once_get_90_distinct_codes_without_gaps(self, world):
        p = world.personas

        def work(i: int) -> str:
            # Two thirds for RENIEC, one third for SUNAT; the first claim of
            # each creates its counter row while the others race for it.
            if i % 3 == 2:
                return file(p, now=NOW, entity=p.sunat, center=p.arequipa).code
            return file(p, now=NOW).code

        codes = race(90, work)

        reniec = sorted(c for c in codes if c.startswith("RENIEC-"))
        sunat = sorted(c for c in codes if c.startswith("SUNAT-"))
        assert reniec == [f"RENIEC-2026-{n:06d}" for n in range(1, 61)]
        assert sunat == [f"SUNAT-2026-{n:06d}" for n in range(1, 31)]
        assert Complaint.objects.count() == 90
        assert dict(CodeSequence.objects.values_list("entity__acronym", "last_number")) == {
            "RENIEC": 60,
            "SUNAT": 30,
        }
