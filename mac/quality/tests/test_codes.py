"""Each claim gets the next correlative of its entity and year:
RENIEC-2026-000001, RENIEC-2026-000002... SUNAT counts on its own, and a new
year starts again at 1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from mac.core.calendar import LIMA
from mac.quality.models import CodeSequence, Complaint
from mac.quality.testing import file


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=LIMA)


@pytest.mark.django_db
class TestCodes:
    def test_it_numbers_each_entity_on_its_own(self, world):
        p = world.personas
        codes = [
            file(p, now=at(2026, 3, 2)).code,
            file(p, now=at(2026, 3, 2), entity=p.sunat, center=p.arequipa).code,
            file(p, now=at(2026, 3, 3)).code,
        ]

        assert codes == ["RENIEC-2026-000001", "SUNAT-2026-000001", "RENIEC-2026-000002"]

    def test_it_starts_again_each_year(self, world):
        p = world.personas
        file(p, now=at(2026, 12, 30))

        assert file(p, now=at(2027, 1, 4)).code == "RENIEC-2027-000001"
        assert dict(CodeSequence.objects.values_list("year", "last_number")) == {2026: 1, 2027: 1}

    def test_the_database_refuses_a_repeated_number(self, world):
        first = file(world.personas, now=at(2026, 3, 2))
        copy = Complaint.objects.get(pk=first.pk)
        copy.pk = None
        copy.code = "OTRO-CODIGO"

        with pytest.raises(IntegrityError), transaction.atomic():
            copy.save()
        assert Complaint.objects.count() == 1
