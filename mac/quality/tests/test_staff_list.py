"""The staff list: open claims first by deadline, coloured by how close it
is, with filters; no personal data in it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mac.core.calendar import LIMA
from mac.quality import actions
from mac.quality.testing import file

from .conftest import NOW

pytestmark = pytest.mark.django_db


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 10, 0, tzinfo=LIMA)


@pytest.fixture
def claims(world, clock):
    p = world.personas
    # Due Wed 14 Oct (overdue on 3 Nov), Thu 5 Nov (2 business days left),
    # Thu 17 Dec (30 left); and one answered.
    overdue = file(p, now=at(9, 1), category="trato")
    soon = file(p, now=at(9, 23), channel="phone", center=None)
    fresh = file(p, now=NOW)
    done = file(p, now=at(9, 2))
    actions.take_in_process(done.pk, by=world.olga, now=at(9, 3))
    actions.answer(done.pk, text="Respuesta.", by=world.olga, now=at(9, 4))
    return overdue, soon, fresh, done


def rows(body: str) -> list[tuple[str, str]]:
    """(colour, code) of each row, in order."""
    return re.findall(
        r'<tr class="due-row due-row--(\w+)">\s*<td class="nowrap"><a href="[^"]+">([^<]+)</a>',
        body,
    )


class TestStaffList:
    def test_it_lists_open_claims_first_coloured_by_deadline(self, client, world, claims):
        overdue, soon, fresh, done = claims
        client.force_login(world.olga)

        body = client.get("/reclamaciones/personal/").content.decode()

        assert rows(body) == [
            ("overdue", overdue.code),
            ("soon", soon.code),
            ("ok", fresh.code),
            ("closed", done.code),
        ]
        assert '<span class="tag tag--closed">Vencido</span>' in body
        assert '<span class="tag tag--warning">Quedan 2 días hábiles</span>' in body
        assert '<span class="tag tag--open">30 días hábiles</span>' in body
        assert "4 reclamos" in body

    @pytest.mark.parametrize(
        ("label", "params", "expected"),
        [
            ("overdue", {"plazo": "overdue"}, ["overdue"]),
            ("due soon", {"plazo": "soon"}, ["soon"]),
            ("answered", {"estado": "notified"}, ["done"]),
            ("by phone", {"canal": "phone"}, ["soon"]),
            ("treatment", {"motivo": "trato"}, ["overdue"]),
            ("by code", {"codigo": "000003"}, ["fresh"]),
            ("unknown values are ignored", {"estado": "x", "plazo": "y"}, None),
            ("numbers that are not ids", {"entidad": "²", "centro": "9" * 5000, "anio": "٣"}, None),
        ],
    )
    def test_it_filters(self, client, world, claims, label, params, expected):
        names = dict(zip(["overdue", "soon", "fresh", "done"], claims, strict=True))
        client.force_login(world.olga)

        body = client.get("/reclamaciones/personal/", params).content.decode()

        codes = [code for _colour, code in rows(body)]
        wanted = list(names) if expected is None else expected
        assert sorted(codes) == sorted(names[n].code for n in wanted), label
