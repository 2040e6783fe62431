"""Below the minimum sample nothing is shown: no figure, no breakdown, no
comment ("muestra insuficiente"); the threshold is a setting."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mac.queueing import actions as queue
from mac.queueing.testing import OPEN, make_advisor, make_counter
from mac.surveys.conf import DEFAULTS, conf
from mac.surveys.stats import Sums, summarise
from mac.surveys.testing import GOOD, World, answered_many

pytestmark = pytest.mark.django_db


class TestMinimumSample:
    def test_it_defaults_to_thirty_answers(self, settings: Any) -> None:
        settings.SURVEYS = {}
        assert DEFAULTS["MIN_SAMPLE"] == 30 == conf("MIN_SAMPLE")

    def test_it_computes_nothing_below_the_minimum(self) -> None:
        row = {k: v for k, v in GOOD.items() if k != "comment"}

        summary = summarise(Sums.of([row] * 29), min_sample=30)

        assert (summary.n, summary.sufficient, summary.csat, summary.nps) == (29, False, None, None)
        assert (summary.means, summary.regression) == ({}, None)
        assert summarise(Sums.of([row] * 30), min_sample=30).sufficient is True

    def test_it_shows_muestra_insuficiente_and_no_comment(
        self, world: World, client: Client, settings: Any
    ) -> None:
        # given: 2 answers, the minimum raised to 3
        settings.SURVEYS = {"MIN_SAMPLE": 3}
        answered_many(
            world.reniec_counter,
            world.bob,
            world.dni,
            [{"comment": "La señorita fue muy amable"}, {"overall": 2}],
        )
        client.force_login(world.personas.alice)

        # when
        page = client.get("/encuestas/resultados/", {"agrupar": "advisor"})
        api = client.get("/api/v1/surveys/results")

        # then
        text = page.content.decode()
        assert page.status_code == 200
        assert "Muestra insuficiente." in text
        assert "Se muestran cifras desde 3 respuestas." in text
        assert "La señorita fue muy amable" not in text
        assert 'id="factores"' not in text and 'id="desglose"' not in text
        assert api.status_code == 200
        assert api.json() == {
            "n": None,  # not even a noisy count below the minimum
            "min_sample": 3,
            "sufficient": False,
            "csat": None,
            "nps": None,
            "overall": None,
            "drivers": [],
            "r_squared": None,
            "intercept": None,
            "regression_note": "",
            "since": None,
            "until": None,
            "annual_year": None,
            "annual": None,
        }

    def test_it_hides_each_group_below_the_minimum(
        self, world: World, client: Client, settings: Any
    ) -> None:
        # given: 2 answers about Bob, 1 about another RENIEC advisor
        other = make_counter(world.personas.lima_norte, world.personas.reniec, 2, [world.dni])
        advisor = make_advisor(world.personas.lima_norte, world.personas.reniec, "rosa")
        queue.sign_in(other, by=advisor, now=OPEN)
        queue.pause(other, by=advisor, now=OPEN)  # Bob serves the first two
        answered_many(world.reniec_counter, world.bob, world.dni, [{}, {}])
        queue.resume(other, by=advisor, now=OPEN)
        queue.pause(world.reniec_counter, by=world.bob, now=OPEN)
        answered_many(other, advisor, world.dni, [{}], start=OPEN.replace(hour=15))
        client.force_login(world.personas.alice)

        # when
        page = client.get("/encuestas/resultados/", {"agrupar": "advisor"})

        # then: the total (3) is shown, Rosa's single answer is not
        text = page.content.decode()
        assert page.status_code == 200
        table = text[text.index('id="desglose"') :]
        assert table.count("muestra insuficiente") == 1
        bob_row = table[table.index(">bob<") : table.index("</tr>", table.index(">bob<"))]
        assert "100,0%" in bob_row and "muestra insuficiente" not in bob_row
