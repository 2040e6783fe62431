"""Each claim gets the next correlative of its entity and year:
RENIEC-2026-000001, RENIEC-2026-000002... SUNAT counts on its own, and a new
year starts again at 1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from mac.core.calendar import LIMA
from mac.quality import actions
from mac.quality.models import CodeSequence, Complaint, Compliment
from mac.quality.testing import file


def compliment(entity, now):
    return actions.file_compliment(entity=entity, channel="portal", text="Gracias.", now=now)


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

    def test_acronyms_alike_but_for_punctuation_get_codes_of_their_own(self, world):
        """ "MD-SJL" and "MDSJL" both write MDSJL: the entity registered
        later adds its id, and both books go on numbering (it was an
        IntegrityError, a 500 that lost the claim)."""
        p = world.personas
        first = file(p, now=at(2026, 3, 2)).code
        p.sunat.acronym = "R.e.n.i.e.c"
        p.sunat.save(update_fields=["acronym"])

        codes = [
            file(p, now=at(2026, 3, 2), entity=p.sunat, center=p.arequipa).code,
            file(p, now=at(2026, 3, 3)).code,
            compliment(p.sunat, at(2026, 3, 3)).code,
            compliment(p.reniec, at(2026, 3, 3)).code,
        ]

        assert p.reniec.pk < p.sunat.pk
        assert [first, *codes] == [
            "RENIEC-2026-000001",
            f"RENIEC-{p.sunat.pk}-2026-000001",
            "RENIEC-2026-000002",
            f"FEL-RENIEC-{p.sunat.pk}-2026-000001",
            "FEL-RENIEC-2026-000001",
        ]
        assert Complaint.objects.count() == 3 and Compliment.objects.count() == 2
        tracked = actions.get_complaint(codes[0].lower(), "dni", file(p).document_number)
        assert tracked.entity == p.sunat

    def test_a_code_left_by_a_renamed_entity_is_not_taken_again(self, world):
        """RENIEC filed as RENIEC, then changed its acronym; SUNAT now called
        RENIEC would repeat RENIEC-2026-000001."""
        p = world.personas
        file(p, now=at(2026, 3, 2))
        compliment(p.reniec, at(2026, 3, 2))
        p.reniec.acronym = "RENIEC-ANTIGUO"
        p.reniec.save(update_fields=["acronym"])
        p.sunat.acronym = "RENIEC"
        p.sunat.save(update_fields=["acronym"])

        claim = file(p, now=at(2026, 3, 3), entity=p.sunat, center=p.arequipa)
        thanks = compliment(p.sunat, at(2026, 3, 3))

        assert (claim.code, claim.number) == (f"RENIEC-{p.sunat.pk}-2026-000001", 1)
        assert thanks.code == f"FEL-RENIEC-{p.sunat.pk}-2026-000001"
        assert file(p, now=at(2026, 3, 4)).code == "RENIECANTIGUO-2026-000002"
