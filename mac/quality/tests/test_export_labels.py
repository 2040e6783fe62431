"""The complaints export is for staff who open it in a spreadsheet: the coded
columns (canal, motivo, estado, tipo_documento, respondido_a_tiempo) carry
their Spanish labels, also for a user browsing in Quechua, while what a
program reads (header, code, acronym, ISO dates, numbers, ubigeo) stays as
it was."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.test import Client

from mac.core.calendar import LIMA
from mac.quality import actions, queries
from mac.quality.testing import file

pytestmark = pytest.mark.django_db


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=LIMA)


def exported(client: Client) -> list[list[str]]:
    response = client.get("/reclamaciones/personal/exportar.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def claims(world, clock):
    p = world.personas
    on_time = file(p, now=at(9, 1), category="trato")
    late = file(
        p,
        now=at(9, 2),
        channel="phone",
        center=None,
        category="informacion",
        document_type="ce",
        document_number="001234567",
    )
    in_process = file(p, now=at(10, 1), channel="portal", center=None, category="infraestructura")
    for claim, when in ((on_time, at(9, 10)), (late, at(10, 30))):
        actions.take_in_process(claim.pk, by=world.olga, now=when)
        actions.answer(claim.pk, text="Respuesta.", by=world.olga, now=when)
    actions.take_in_process(in_process.pk, by=world.olga, now=at(10, 2))
    return on_time, late, in_process


@pytest.mark.parametrize("language", ["es", "qu"])
def test_the_coded_columns_carry_their_spanish_labels(
    client: Client, world, claims, language: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(world.olga)

    header, *rows = exported(client)

    assert header == queries.EXPORT_HEADER
    columns = [header.index(n) for n in ("canal", "motivo", "estado", "respondido_a_tiempo")]
    assert [[row[i] for i in columns] for row in rows] == [
        ["Centro MAC", "Trato recibido", "Respuesta notificada", "Sí"],
        ["Aló MAC (teléfono)", "Información recibida", "Respuesta notificada", "No"],
        ["Portal MAC, correo o chat", "Infraestructura o accesibilidad", "En trámite", ""],
    ]
    assert [row[header.index("tipo_documento")] for row in rows] == [
        "DNI",
        "Carné de Extranjería",
        "DNI",
    ]


def test_what_a_program_reads_stays_as_it_was(client: Client, world, claims) -> None:
    client.force_login(world.olga)

    header, *rows = exported(client)

    assert header == [
        "codigo",
        "entidad",
        "centro",
        "canal",
        "motivo",
        "estado",
        "fecha_hora_reclamo",
        "fecha_limite",
        "fecha_respuesta",
        "respondido_a_tiempo",
        "nombres_apellidos",
        "tipo_documento",
        "numero_documento",
        "correo",
        "telefono",
        "ubigeo",
    ]
    second = dict(zip(header, rows[1], strict=True))
    assert {
        k: second[k] for k in ("codigo", "entidad", "centro", "numero_documento", "ubigeo")
    } == {
        "codigo": "RENIEC-2026-000002",
        "entidad": "RENIEC",
        "centro": "",
        "numero_documento": "001234567",
        "ubigeo": "150110",
    }
    assert (second["fecha_hora_reclamo"], second["fecha_limite"], second["fecha_respuesta"]) == (
        "2026-09-02 10:00",
        claims[1].due_date.isoformat(),
        "2026-10-30 10:00",
    )
