"""The surveys API: answer by token (201; 404 unknown, 409 reused, 410
expired, 422 bad values; nothing stored when refused), read results (staff,
scoped), both in the OpenAPI spec."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from mac.surveys import actions
from mac.surveys.models import Invitation, Response
from mac.surveys.testing import GOOD, World, answered_many, attend

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(world: World) -> Invitation:
    return actions.offer(attend(world.reniec_counter, world.bob, world.dni))


def post(client: Client, token: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/surveys/{token}", body, content_type="application/json")


class TestAnswerApi:
    def test_it_answers_by_token(self, invitation: Invitation, client: Client) -> None:
        response = post(client, invitation.token, {**GOOD, "language": "qu"})

        assert response.status_code == 201
        stored = Response.objects.get()
        assert response.json() == {
            "answered_at": stored.answered_at.isoformat().replace("+00:00", "Z"),
            "channel": "api",
        }
        assert (stored.channel, stored.language) == ("api", "qu")

    def test_it_answers_409_to_a_reused_token(self, invitation: Invitation, client: Client) -> None:
        post(client, invitation.token, GOOD)

        again = post(client, invitation.token, {**GOOD, "overall": 1})

        assert again.status_code == 409
        assert again.json()["code"] == "already_answered"
        assert list(Response.objects.values_list("overall", flat=True)) == [5]

    def test_it_answers_410_to_an_expired_token(
        self, invitation: Invitation, client: Client, clock: time_machine.Traveller
    ) -> None:
        clock.move_to(invitation.expires_at + dt.timedelta(seconds=1))

        response = post(client, invitation.token, GOOD)

        assert response.status_code == 410
        assert response.json() == {
            "detail": "El plazo para responder esta encuesta venció.",
            "code": "expired",
        }
        assert Response.objects.count() == 0

    def test_it_answers_404_to_an_unknown_token(self, world: World, client: Client) -> None:
        response = post(client, "no-existe", GOOD)

        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert Response.objects.count() == 0

    def test_it_answers_422_to_a_missing_answer(
        self, invitation: Invitation, client: Client
    ) -> None:
        body = {k: v for k, v in GOOD.items() if k != "trust"}

        response = post(client, invitation.token, body)

        assert response.status_code == 422
        assert Response.objects.count() == 0


class TestResultsApi:
    def test_it_reads_the_figures(self, world: World, client: Client) -> None:
        answered_many(
            world.reniec_counter,
            world.bob,
            world.dni,
            [{"overall": 5, "recommend": 10}, {"overall": 3, "recommend": 5}],
        )
        client.force_login(world.personas.alice)

        data = client.get("/api/v1/surveys/results", {"since": "2026-12-15"}).json()

        # Exactly: CSAT 0.5, NPS 0 (one promoter, one detractor), overall 4.0.
        # Two answers with the noise of ADR 0009 (these keys, this secret):
        assert (data["n"], data["sufficient"], data["min_sample"]) == (2, True, 2)
        assert data["csat"] == {"value": 1.0, "low": 0.0, "high": 1.0}
        assert data["nps"] == {"value": 100.0, "low": -100.0, "high": 100.0}
        assert data["overall"] == {"value": 4.0, "low": 1.0, "high": 5.0}
        assert (data["since"], data["until"]) == ("2026-12-01", None)  # whole months
        assert [d["code"] for d in data["drivers"]] == [
            "kind_treatment",
            "information",
            "times",
            "as_promised",
            "results",
            "accessibility",
            "trust",
        ]
        assert data["drivers"][0]["mean"] == {"value": 4.0, "low": 1.0, "high": 5.0}
        assert data["drivers"][0]["weight"] is None  # weights from 3000 answers
        assert data["regression_note"].startswith("Los pesos se muestran desde 3000 respuestas")

    def test_it_filters_by_period(self, world: World, client: Client) -> None:
        answered_many(world.reniec_counter, world.bob, world.dni, [{}, {}])
        client.force_login(world.personas.alice)

        before = client.get("/api/v1/surveys/results", {"until": "2026-11-30"}).json()
        bad = client.get("/api/v1/surveys/results", {"since": "2026-12-02", "until": "2026-12-01"})

        assert before["n"] is None and before["sufficient"] is False
        assert (before["since"], before["until"]) == (None, "2026-11-30")
        assert bad.status_code == 422
        assert bad.json() == {
            "detail": "until: La fecha final es anterior a la inicial.",
            "code": "invalid_filter",
        }

    @pytest.mark.parametrize(
        ("query", "detail"),
        [
            ({"until": "9999-12-31"}, "until: Elija una fecha entre los años 2013 y 2100."),
            ({"since": "0001-01-01"}, "since: Elija una fecha entre los años 2013 y 2100."),
        ],
    )
    def test_it_refuses_a_date_out_of_range(
        self, world: World, client: Client, query: dict[str, str], detail: str
    ) -> None:
        answered_many(world.reniec_counter, world.bob, world.dni, [{}, {}])
        client.force_login(world.personas.alice)

        refused = client.get("/api/v1/surveys/results", query)

        assert refused.status_code == 422
        assert refused.json() == {"detail": detail, "code": "invalid_filter"}

    def test_an_entitys_reporting_system_reads_them_with_a_key(
        self, world: World, client: Client
    ) -> None:
        from mac.accounts.apikeys import create_key

        answered_many(world.reniec_counter, world.bob, world.dni, [{"overall": 4}, {}])
        _, key = create_key(world.personas.alice, "Tablero de indicadores")

        data = client.get(
            "/api/v1/surveys/results", {"since": "2026-12-01"}, HTTP_AUTHORIZATION=f"Bearer {key}"
        )
        refused = client.get("/api/v1/surveys/results", HTTP_AUTHORIZATION=f"Bearer {key}x")

        assert (data.status_code, data.json()["n"]) == (200, 2)
        assert (refused.status_code, refused.json()["code"]) == (401, "unauthenticated")


class TestOpenApi:
    def test_it_lists_the_survey_endpoints(self, client: Client) -> None:
        spec = client.get("/api/v1/openapi.json").json()

        answer = spec["paths"]["/api/v1/surveys/{token}"]["post"]
        assert set(answer["responses"]) == {"201", "404", "409", "410", "422"}
        assert "get" in spec["paths"]["/api/v1/surveys/results"]
        schema = spec["components"]["schemas"]["AnswerIn"]["properties"]["overall"]
        assert (schema["minimum"], schema["maximum"]) == (1, 5)

    def test_it_documents_the_noise_and_the_months(self, client: Client) -> None:
        spec = client.get("/api/v1/openapi.json").json()

        results = spec["paths"]["/api/v1/surveys/results"]["get"]
        assert "ruido que protege el anonimato" in results["description"]
        out = spec["components"]["schemas"]["ResultsOut"]["properties"]
        assert "null si la muestra es insuficiente" in out["n"]["description"]
        assert {"type": "null"} in out["n"]["anyOf"]
        assert "meses completos" in out["since"]["description"]
        since = next(p for p in results["parameters"] if p["name"] == "since")
        assert since["description"] == "se lee desde el primer día de su mes"
