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
from mac.core.models import AuditLog
from mac.core.testing import race as shared_race
from mac.quality import actions
from mac.quality.errors import QualityError
from mac.quality.models import CodeSequence, Complaint, Compliment
from mac.quality.testing import file, sheet

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


class TestAddressLimitUnderConcurrency:
    """The per-address limit counted, then inserted, with nothing between: 30
    claims at once from one address each counted none of the others
    (uncommitted), and all were filed past a limit of 10."""

    def test_30_claims_at_once_from_one_address_stop_at_its_limit(self, world, settings):
        settings.QUALITY = {"MAX_PER_ADDRESS_DAY": 10}
        p = world.personas
        bot = "203.0.113.9"

        def work(i: int) -> str:
            address = bot if i < 30 else f"198.51.100.{i}"
            return actions.file_complaint(sheet(p), client_address=address, now=NOW).code

        outcomes = race(40, work)

        refused = [o for o in outcomes if o == "limit_address"]
        assert len(refused) == 20
        assert Complaint.objects.filter(client_address=bot).count() == 10
        assert Complaint.objects.exclude(client_address=bot).count() == 10
        # The codes of the claims filed stay without gaps: a refusal takes none.
        numbers = sorted(Complaint.objects.values_list("number", flat=True))
        assert numbers == list(range(1, 21))
        assert AuditLog.objects.filter(action="quality.complaint.filed").count() == 20

    def test_30_compliments_at_once_from_one_address_stop_at_its_limit(self, world, settings):
        settings.QUALITY = {"MAX_PER_ADDRESS_DAY": 10}
        p = world.personas
        bot = "2001:db8::9"

        def work(i: int) -> str:
            return actions.file_compliment(
                entity=p.reniec,
                channel="center",
                center=p.lima_norte,
                text="Me atendieron muy bien y rápido.",
                # One address written two ways is one address.
                client_address=bot if i % 2 else "2001:0db8:0000::0009",
                now=NOW,
            ).code

        outcomes = race(30, work)

        assert sum(o == "limit_address" for o in outcomes) == 20
        assert Compliment.objects.count() == 10
