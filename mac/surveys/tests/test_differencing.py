"""The differencing attack (ADR 0009): two selections that differ by one
answer gave that citizen's score away as n1·mean1 − n0·mean0, or from the
interval's midpoint, or from a breakdown's total minus its shown groups.

Now periods are whole months (two periods a day apart are the same
selection, hence the same figures) and every figure carries noise keyed to
the exact set of answers: the attacker's arithmetic gives a number that is
not the score, and asking the same set again, by other filters, gives the
very same number (nothing to average)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from mac.core.calendar import LIMA
from mac.core.testing import make_service
from mac.surveys.models import Response
from mac.surveys.testing import World, answered_many

pytestmark = pytest.mark.django_db

# The citizen the attacker wants to find out: very unsatisfied, a detractor.
TARGET = {"overall": 1, "recommend": 2}
MONTH = [{"overall": 5 - (i % 3), "recommend": 9 - (i % 4)} for i in range(10)]


@pytest.fixture
def answers(world: World, settings: Any) -> World:
    """Ten answers about RENIEC's DNI in each of September, October and
    November, and the target's: the only one in December and the only one
    about another RENIEC service."""
    settings.SURVEYS = {"MIN_SAMPLE": 5}
    for month in (9, 10, 11):
        for day, response in enumerate(
            answered_many(world.reniec_counter, world.bob, world.dni, MONTH), start=2
        ):
            Response.objects.filter(pk=response.pk).update(
                attended_at=dt.datetime(2026, month, day, 10, 0, tzinfo=LIMA)
            )
    (target,) = answered_many(
        world.reniec_counter,
        world.bob,
        world.dni,
        [TARGET],
        start=dt.datetime(2026, 12, 1, 14, 0, tzinfo=LIMA),
    )
    rectification = make_service(world.personas.reniec, "Rectificación de datos")
    Response.objects.filter(pk=target.pk).update(service=rectification)
    return world


def api(client: Client, query: dict[str, Any]) -> dict[str, Any]:
    response = client.get("/api/v1/surveys/results", query)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


# Selections without and with the target, as the API's parameters; the
# comment names the sets of answers they read once widened to whole months.
PAIRS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    # Sep-Nov vs Sep-Dec
    ("periods ending a day apart", {"until": "2026-11-30"}, {"until": "2026-12-01"}),
    ("a period and everything", {"until": "2026-11-30"}, {}),
    ("a service and its entity", {"service": "dni"}, {"entity": "reniec"}),
    # Oct-Nov vs Oct-Dec
    (
        "a closed and an open period",
        {"since": "2026-10-01", "until": "2026-11-30"},
        {"since": "2026-10-01"},
    ),
    (
        "a service and its entity, from October",
        {"service": "dni", "since": "2026-10-15"},
        {"entity": "reniec", "since": "2026-10-20"},
    ),
    # Nov vs Nov-Dec
    (
        "a month and the month after too",
        {"since": "2026-11-01", "until": "2026-11-30"},
        {"since": "2026-11-30", "until": "2026-12-01"},
    ),
]


def ids(world: World, query: dict[str, Any]) -> dict[str, Any]:
    known = {"dni": world.dni.pk, "reniec": world.personas.reniec.pk}
    return {name: known.get(value, value) for name, value in query.items()}


def recovered(without: dict[str, Any], with_: dict[str, Any], pick: Any) -> float | None:
    """What the attacker computes, or None when a selection shows no figure."""
    if not (without["sufficient"] and with_["sufficient"]):
        return None
    return float(with_["n"] * pick(with_) - without["n"] * pick(without))


def overall_value(data: dict[str, Any]) -> float:
    return float(data["overall"]["value"])


def overall_midpoint(data: dict[str, Any]) -> float:
    return (data["overall"]["low"] + data["overall"]["high"]) / 2


def page_figures(text: str) -> tuple[int, float]:
    n = re.search(r'Respuestas</dt><dd><span class="figure">(\d+)<', text)
    mean = re.search(r'Satisfacción general \(1 a 5\)</dt><dd><span class="figure">([\d,]+)<', text)
    assert n is not None and mean is not None
    return int(n[1]), float(mean[1].replace(",", "."))


def page_group(text: str, label: str) -> tuple[int, float]:
    row = text[text.index(f'<th scope="row">{label}</th>') :].split("</tr>")[0]
    cells = re.findall(r"<td>([^<]*)</td>", row)
    return int(cells[0]), float(cells[-1].replace(",", "."))


class TestDifferencingAttack:
    def test_two_selections_a_citizen_apart_do_not_give_their_score_away(
        self, answers: World, client: Client
    ) -> None:
        client.force_login(answers.personas.alice)

        got = {}
        for case, without, with_ in PAIRS:
            a, b = api(client, ids(answers, without)), api(client, ids(answers, with_))
            got[case] = (recovered(a, b, overall_value), recovered(a, b, overall_midpoint))

        for case, (value, midpoint) in got.items():
            assert value is not None and midpoint is not None, case
            assert round(value) != TARGET["overall"], case
            assert round(midpoint) != TARGET["overall"], case
        # the same two sets asked by other filters give the very same figures
        assert got["periods ending a day apart"] == got["a period and everything"]
        assert got["periods ending a day apart"] == got["a service and its entity"]
        assert got["a closed and an open period"] == got["a service and its entity, from October"]
        assert len(set(got.values())) == 3

    def test_a_breakdown_does_not_give_its_hidden_group_away(
        self, answers: World, client: Client
    ) -> None:
        client.force_login(answers.personas.alice)

        for dimension, shown in [("service", "Duplicado del DNI"), ("month", "noviembre 2026")]:
            text = client.get(
                "/encuestas/resultados/", {"agrupar": dimension, "desde": "2026-11-01"}
            ).content.decode()

            # the total (November and the target) minus the shown group (November)
            n, mean = page_figures(text)
            group_n, group_mean = page_group(text, shown)
            assert round(n * mean - group_n * group_mean) != TARGET["overall"], dimension
            assert (n, mean, group_n, group_mean) == (9, 4.44, 7, 5.0), dimension
            assert '<td><span class="muted">—</span></td>' in text  # the target's group: no n
