"""The results page: figures with their intervals, the drivers' weights, a
breakdown, and the annual survey beside the platform's answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mac.surveys import actions, annual
from mac.surveys.testing import World, answered_many

pytestmark = pytest.mark.django_db

HEADER = (
    "satisfaccion_general,trato,informacion,tiempos,cumplimiento,resultados,"
    "accesibilidad,confianza,recomendacion,entidad"
)


class TestResultsPage:
    def test_it_shows_csat_nps_means_and_breakdown(self, world: World, client: Client) -> None:
        answered_many(
            world.reniec_counter,
            world.bob,
            world.dni,
            [
                {"overall": 5, "recommend": 10, "comment": "Excelente"},
                {"overall": 4, "recommend": 9},
                {"overall": 2, "recommend": 3},
                {"overall": 5, "recommend": 8},
            ],
        )
        client.force_login(world.personas.carol)

        page = client.get("/encuestas/resultados/", {"agrupar": "month"})

        # Exactly: 4 answers, CSAT 75% (3 of 4), NPS 25 (2 promoters, 1 detractor),
        # overall 4.00. Four answers with the noise of ADR 0009 (these keys, this
        # secret) show:
        text = page.content.decode()
        assert page.status_code == 200
        assert 'Respuestas</dt><dd><span class="figure">3</span>' in text
        assert '<span class="figure">100,0%</span>' in text  # CSAT
        assert '<span class="figure">100,0</span>' in text  # NPS
        assert '<span class="figure">5,00</span> <span class="interval">(IC 95%: 1,00–5,00)' in text
        desglose = text[text.index('id="desglose"') :]
        assert '<th scope="row">diciembre 2026</th>\n      <td>3</td>' in desglose
        # a comment shows its month, not its day, and no score
        assert "Excelente" in text
        assert "diciembre 2026 · RENIEC · Duplicado del DNI · Centro MAC Lima Norte" in text
        assert "/5" not in text[text.index('id="comentarios-titulo"') :]

    def test_it_compares_with_the_annual_survey(
        self, world: World, client: Client, settings: Any
    ) -> None:
        # which rows are compared, without noise (the noise has its own tests)
        settings.SURVEYS = {"MIN_SAMPLE": 2, "NOISE": 0}
        answered_many(world.reniec_counter, world.bob, world.dni, [{}, {"overall": 3}])
        rows = annual.read(
            (
                f"{HEADER}\n5,5,5,5,5,5,5,5,10,RENIEC\n3,3,3,3,3,3,3,3,6,RENIEC\n"
                "1,1,1,1,1,1,1,1,0,SUNAT\n"
            ).encode()
        )
        actions.import_annual(rows, year=2025, filename="2025.csv")
        client.force_login(world.personas.carol)

        page = client.get("/encuestas/resultados/", {"anual": "2025"})

        text = page.content.decode()
        assert page.status_code == 200
        table = text[text.index('id="comparacion"') :]
        csat = table[table.index('<th scope="row">CSAT</th>') :].split("</tr>")[0]
        # the platform: 1 of 2 at 4 or 5; RENIEC's annual rows: 1 of 2 (SUNAT's not counted)
        assert csat.count("50,00%") == 2
        overall = table[table.index("Satisfacción general</th>") :].split("</tr>")[0]
        assert "4,00" in overall and overall.count("4,00") == 2  # (5+3)/2 both


class TestResultsDates:
    """A date the calendar cannot go past (9999-12-31: its next day does not
    exist) once crashed the page; dates are kept between 2013 and 2100."""

    @pytest.mark.parametrize(
        "query",
        [
            {"hasta": "9999-12-31"},
            {"desde": "9999-12-31"},
            {"desde": "0001-01-01"},
            {"desde": "2012-12-31"},
            {"hasta": "2101-01-01"},
        ],
    )
    def test_it_refuses_a_date_out_of_range(
        self, world: World, client: Client, query: dict[str, str]
    ) -> None:
        answered_many(world.reniec_counter, world.bob, world.dni, [{}, {}])
        client.force_login(world.personas.carol)

        page = client.get("/encuestas/resultados/", query)

        text = page.content.decode()
        assert page.status_code == 400
        assert "Elija una fecha entre los años 2013 y 2100." in text
        assert "CSAT" not in text  # no figures

    def test_it_takes_the_first_and_last_dates(self, world: World, client: Client) -> None:
        answered_many(world.reniec_counter, world.bob, world.dni, [{}, {"overall": 4}])
        client.force_login(world.personas.carol)

        page = client.get("/encuestas/resultados/", {"desde": "2013-01-01", "hasta": "2100-12-31"})

        text = page.content.decode()
        assert page.status_code == 200
        assert (
            "Periodo: del 1 de enero de 2013 al 31 de diciembre de 2100 (meses completos)." in text
        )
        assert "100,0%" in text  # CSAT: both answers, 5 and 4 (noise: ADR 0009)
