"""Reports: claims by entity, center, channel and motive, answered on time
(by the Lima date of the answer), late, overdue or still in term; scoped by
the same access rules as the list; CSV export safe for spreadsheets."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from mac.core.calendar import LIMA
from mac.quality import actions, queries
from mac.quality.access import complaints_visible_to
from mac.quality.queries import Line
from mac.quality.testing import file

from .conftest import NOW

pytestmark = pytest.mark.django_db


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LIMA)


def answered(world, complaint, when):
    actions.take_in_process(complaint.pk, by=world.olga, now=when)
    actions.answer(complaint.pk, text="Respuesta.", by=world.olga, now=when)


@pytest.fixture
def claims(world, clock):
    p = world.personas
    on_time = file(p, now=at(9, 1))  # due Wed 14 Oct
    late = file(p, now=at(9, 1), category="trato")
    overdue = file(p, now=at(9, 2), channel="phone", center=None, category="informacion")
    pending = file(p, now=NOW, entity=p.sunat, center=p.arequipa)
    # 23:30 in Lima on the due date is already the next day in UTC: on time.
    answered(world, on_time, at(10, 14, 23, 30))
    answered(world, late, at(10, 20))
    return on_time, late, overdue, pending


class TestReports:
    def test_it_counts_on_time_late_overdue_and_pending(self, world, claims):
        report = queries.report(complaints_visible_to(world.personas.alice), NOW.date())

        assert report.total == Line("Total", total=4, on_time=1, late=1, overdue=1, pending=1)
        assert report.total.on_time_share == pytest.approx(1 / 3)
        assert report.by["entity"] == [
            Line("RENIEC", total=3, on_time=1, late=1, overdue=1, pending=0),
            Line("SUNAT", total=1, on_time=0, late=0, overdue=0, pending=1),
        ]
        assert report.by["channel"] == [
            Line("Centro MAC", total=3, on_time=1, late=1, overdue=0, pending=1),
            Line("Aló MAC (teléfono)", total=1, on_time=0, late=0, overdue=1, pending=0),
        ]
        assert [(line.label, line.total) for line in report.by["center"]] == [
            ("Centro MAC Arequipa", 1),
            ("Centro MAC Lima Norte", 2),
            ("Sin centro (otro canal)", 1),
        ]
        assert {line.label: line.total for line in report.by["category"]} == {
            "Demora o tiempo de espera": 2,
            "Información recibida": 1,
            "Trato recibido": 1,
        }

    def test_an_entitys_supervisor_gets_only_its_numbers(self, client, world, claims):
        client.force_login(world.personas.carol)

        body = client.get("/reclamaciones/personal/reportes/").content.decode()

        assert "<dt>Reclamos</dt><dd>3</dd>" in body
        assert "<dt>Respondidos a tiempo (%)</dt><dd>33 %</dd>" in body
        assert "SUNAT" not in body
        assert "Centro MAC Arequipa" not in body

    def test_the_export_is_csv_with_formulas_defused(self, client, world, clock):
        file(world.personas, full_name='=HYPERLINK("http://x")', now=NOW)
        client.force_login(world.olga)

        response = client.get("/reclamaciones/personal/exportar.csv")
        [header, row] = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert header == queries.EXPORT_HEADER
        assert row[:10] == [
            "RENIEC-2026-000001",
            "RENIEC",
            "Centro MAC Lima Norte",
            "Centro MAC",
            "Demora o tiempo de espera",
            "Registrado",
            "2026-11-03 10:00",
            "2026-12-17",
            "",
            "",
        ]
        assert row[10] == '\'=HYPERLINK("http://x")'
        assert row[11:] == ["DNI", "10117410", "ana@example.pe", "", "150110"]
