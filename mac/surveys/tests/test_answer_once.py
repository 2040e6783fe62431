"""One answer per attention: the first is stored with where, with whom and
when the attention happened; a second one, by any way, is refused with a
clear message and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from mac.queueing.models import Attention
from mac.surveys import actions
from mac.surveys.errors import AlreadyAnswered
from mac.surveys.models import Invitation, Response
from mac.surveys.testing import GOOD, World, attend

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Response.objects.order_by("pk").values_list("pk", "overall", "comment", "answered_at")
    ) + list(Invitation.objects.order_by("pk").values_list("pk", "answered_at"))


@pytest.fixture
def invitation(world: World) -> Invitation:
    return actions.offer(attend(world.reniec_counter, world.bob, world.dni))


class TestAnswerOnce:
    def test_it_stores_the_answer_with_its_attention(
        self, world: World, invitation: Invitation
    ) -> None:
        response = actions.answer(
            invitation.token, {**GOOD, "overall": 4, "comment": "  Rápido  "}, language="qu"
        )

        attention = Attention.objects.get()
        assert (response.center, response.entity, response.service) == (
            world.personas.lima_norte,
            world.personas.reniec,
            world.dni,
        )
        assert (response.counter, response.advisor, response.attended_at) == (
            world.reniec_counter,
            world.bob,
            attention.ended_at,
        )
        assert (response.overall, response.recommend, response.comment) == (4, 9, "Rápido")
        assert (response.channel, response.language) == ("link", "qu")
        invitation.refresh_from_db()
        assert invitation.answered_at == response.answered_at

    def test_it_refuses_a_second_answer(self, invitation: Invitation) -> None:
        actions.answer(invitation.token, {**GOOD, "comment": "primera"})
        before = snapshot()

        with pytest.raises(AlreadyAnswered) as refused:
            actions.answer(invitation.token, {**GOOD, "overall": 1, "comment": "segunda"})

        assert (refused.value.status, refused.value.code) == (409, "already_answered")
        assert snapshot() == before

    def test_it_shows_a_clear_page_for_a_second_submission(
        self, invitation: Invitation, client: Client
    ) -> None:
        url = f"/encuestas/{invitation.token}/"
        first = client.post(url, GOOD | {"comment": "primera"})
        before = snapshot()

        again = client.post(url, GOOD | {"overall": 1, "comment": "segunda"})
        opened = client.get(url)

        assert (
            first.status_code == 302
            and first["Location"] == f"/encuestas/{invitation.token}/gracias/"
        )
        assert again.status_code == 409 == opened.status_code
        assert "Esta encuesta ya fue respondida" in again.content.decode()
        assert "No se guardó nada nuevo" in again.content.decode()
        assert 'name="overall"' not in opened.content.decode()
        assert snapshot() == before
        assert Response.objects.get().comment == "primera"

    def test_the_database_refuses_two_answers_for_one_attention(
        self, world: World, invitation: Invitation
    ) -> None:
        first = actions.answer(invitation.token, GOOD)
        later = actions.offer(attend(world.reniec_counter, world.bob, world.dni))
        copy: dict[str, Any] = dict(Response.objects.filter(pk=first.pk).values().get())
        copy.pop("id")

        # another invitation, the same attention: the unique attention refuses it
        with pytest.raises(IntegrityError), transaction.atomic():
            Response.objects.create(**{**copy, "invitation_id": later.pk})

        assert Response.objects.count() == 1
