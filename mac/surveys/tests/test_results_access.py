"""Who reads which results: RENIEC's supervisor (Carol) reads RENIEC's
figures and comments and never SUNAT's, whatever the filters; a center
coordinator reads their center's; an advisor (Charlie) reads none."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mac.accounts.models import Role
from mac.core.testing import make_user
from mac.queueing.testing import OPEN
from mac.surveys.models import Response
from mac.surveys.testing import World, answered_many

pytestmark = pytest.mark.django_db

RENIEC_COMMENT = "La asesora de RENIEC me explicó todo con paciencia"
SUNAT_COMMENT = "SUNAT: el asesor me pidió volver mañana sin motivo"


@pytest.fixture
def answers(world: World) -> World:
    answered_many(
        world.reniec_counter, world.bob, world.dni, [{"comment": RENIEC_COMMENT}, {"overall": 4}]
    )
    answered_many(
        world.sunat_counter,
        world.charlie,
        world.ruc,
        [{"comment": SUNAT_COMMENT, "overall": 1}, {"overall": 2}],
        start=OPEN.replace(hour=14),
    )
    return world


def page(client: Client, user: Any, **filters: Any) -> tuple[int, str]:
    client.force_login(user)
    response = client.get("/encuestas/resultados/", filters)
    return response.status_code, response.content.decode()


class TestResultsAccess:
    def test_reniecs_supervisor_reads_only_reniec(self, answers: World, client: Client) -> None:
        status, text = page(client, answers.personas.carol)

        assert status == 200
        assert RENIEC_COMMENT in text
        assert SUNAT_COMMENT not in text
        assert 'Respuestas</dt><dd><span class="figure">2</span>' in text

    @pytest.mark.parametrize(
        ("case", "filters", "status"),
        [
            ("SUNAT as entity", lambda w: {"entidad": w.personas.sunat.pk}, 400),
            ("a SUNAT service", lambda w: {"servicio": w.ruc.pk}, 400),
            ("a SUNAT advisor", lambda w: {"asesor": w.charlie.pk}, 400),
            ("SUNAT's center", lambda w: {"centro": w.personas.arequipa.pk}, 200),
            ("a breakdown by entity", lambda w: {"agrupar": "entity"}, 200),
        ],
    )
    def test_it_never_shows_another_entitys_comments(
        self, answers: World, client: Client, case: str, filters: Any, status: int
    ) -> None:
        got, text = page(client, answers.personas.carol, **filters(answers))

        assert got == status
        assert SUNAT_COMMENT not in text
        assert "SUNAT" not in text  # not even in the filters' choices

    def test_the_api_is_scoped_the_same_way(self, answers: World, client: Client) -> None:
        client.force_login(answers.personas.carol)

        mine = client.get("/api/v1/surveys/results")
        theirs = client.get("/api/v1/surveys/results", {"entity": answers.personas.sunat.pk})

        assert mine.status_code == 200 and mine.json()["n"] == 2
        assert mine.json()["csat"]["value"] == 1.0  # RENIEC's 5 and 4, not SUNAT's 1 and 2
        assert theirs.status_code == 422
        assert SUNAT_COMMENT not in mine.content.decode() + theirs.content.decode()

    def test_a_center_coordinator_reads_only_their_center(
        self, answers: World, client: Client
    ) -> None:
        coordinator = make_user(
            "rosa", Role.CENTER_COORDINATOR, center=answers.personas.arequipa, is_staff=True
        )

        status, text = page(client, coordinator)

        assert status == 200
        assert SUNAT_COMMENT in text and RENIEC_COMMENT not in text

    def test_a_national_supervisor_reads_everything(self, answers: World, client: Client) -> None:
        status, text = page(client, answers.personas.alice, agrupar="entity")

        assert status == 200
        assert SUNAT_COMMENT in text and RENIEC_COMMENT in text

    def test_an_advisor_reads_no_results(self, answers: World, client: Client) -> None:
        status, text = page(client, answers.charlie)
        api = client.get("/api/v1/surveys/results")

        assert status == 403 and api.status_code == 403
        assert SUNAT_COMMENT not in text + api.content.decode()

    def test_anonymous_users_are_sent_to_sign_in(self, answers: World, client: Client) -> None:
        response = client.get("/encuestas/resultados/")
        api = client.get("/api/v1/surveys/results")

        assert response.status_code == 302
        assert response["Location"].startswith("/personal/entrar/")
        assert api.status_code == 401


class TestSingleAnswersInTheBackOffice:
    """The back office lists single answers (attention, advisor, minute) to
    superusers only: a national supervisor reads the noisy figures (ADR 0009)."""

    def test_a_national_supervisor_cannot_list_single_answers(
        self, answers: World, client: Client
    ) -> None:
        client.force_login(answers.personas.alice)

        listing = client.get("/admin/surveys/response/")
        one = client.get(f"/admin/surveys/response/{Response.objects.earliest('pk').pk}/change/")
        index = client.get("/admin/").content.decode()

        assert (listing.status_code, one.status_code) == (403, 403)
        assert "/admin/surveys/response/" not in index
        assert "/admin/surveys/invitation/" in index  # the rest of the surveys section stays

    def test_a_superuser_lists_them(self, answers: World, client: Client) -> None:
        client.force_login(make_user("root", "", is_superuser=True, is_staff=True))

        listing = client.get("/admin/surveys/response/")

        assert listing.status_code == 200
        assert listing.context["cl"].result_count == Response.objects.count() == 4
