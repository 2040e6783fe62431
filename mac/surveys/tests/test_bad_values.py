"""Values outside their scale (6 on a 1-5 question, 11 on the 0-10 one) are
refused with a clear message, by the action, the page and the API, and
nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mac.surveys import actions
from mac.surveys.errors import Invalid
from mac.surveys.models import Invitation, Response
from mac.surveys.testing import GOOD, World, attend

pytestmark = pytest.mark.django_db

BAD = [
    pytest.param({"overall": 6}, "invalid_overall", id="6 on overall satisfaction"),
    pytest.param({"trust": 0}, "invalid_trust", id="0 on trust"),
    pytest.param({"recommend": 11}, "invalid_recommend", id="11 on the recommendation"),
    pytest.param({"recommend": -1}, "invalid_recommend", id="-1 on the recommendation"),
    pytest.param({"times": True}, "invalid_times", id="a boolean"),
    pytest.param({"results": None}, "invalid_results", id="a missing answer"),
    pytest.param({"comment": "x" * 1001}, "invalid_comment", id="a comment too long"),
    pytest.param({"overall": "²"}, "invalid_overall", id="a superscript digit"),
    pytest.param({"recommend": "9" * 5000}, "invalid_recommend", id="5000 digits"),
]


@pytest.fixture
def invitation(world: World) -> Invitation:
    return actions.offer(attend(world.reniec_counter, world.bob, world.dni))


def nothing_stored(invitation: Invitation) -> bool:
    invitation.refresh_from_db()
    return Response.objects.count() == 0 and invitation.answered_at is None


class TestBadValues:
    @pytest.mark.parametrize(("change", "code"), BAD)
    def test_the_action_refuses_them(
        self, invitation: Invitation, change: dict[str, Any], code: str
    ) -> None:
        with pytest.raises(Invalid) as refused:
            actions.answer(invitation.token, {**GOOD, **change})

        assert (refused.value.status, refused.value.code) == (422, code)
        assert nothing_stored(invitation)

    def test_it_names_the_question_and_the_scale(self, invitation: Invitation) -> None:
        with pytest.raises(Invalid) as refused:
            actions.answer(invitation.token, {**GOOD, "recommend": 11})

        assert refused.value.message == ("«Recomendación (NPS)»: elige un número del 0 al 10.")

    @pytest.mark.parametrize(("field", "value"), [("overall", "6"), ("recommend", "11")])
    def test_the_page_refuses_them(
        self, invitation: Invitation, client: Client, field: str, value: str
    ) -> None:
        page = client.post(f"/encuestas/{invitation.token}/", {**GOOD, field: value})

        assert page.status_code == 422
        assert "Revisa tus respuestas" in page.content.decode()
        assert "Elige una respuesta." in page.content.decode()
        assert nothing_stored(invitation)

    def test_the_page_lists_every_missing_answer(
        self, invitation: Invitation, client: Client
    ) -> None:
        page = client.post(f"/encuestas/{invitation.token}/", {"overall": "5"})

        text = page.content.decode()
        assert page.status_code == 422
        assert text.count("Elige una respuesta.") == 2 * 8  # the summary and each of the 8
        assert nothing_stored(invitation)

    @pytest.mark.parametrize(("field", "value"), [("overall", 6), ("recommend", 11)])
    def test_the_api_refuses_them(
        self, invitation: Invitation, client: Client, field: str, value: int
    ) -> None:
        response = client.post(
            f"/api/v1/surveys/{invitation.token}",
            {**GOOD, field: value},
            content_type="application/json",
        )

        assert response.status_code == 422
        assert field in str(response.json()["detail"])
        assert nothing_stored(invitation)


# 1000 characters as the textarea counts them (63 line breaks, one each), and
# what a form submission carries: each line break as "\r\n" (1063 characters).
TYPED = ("Buena atención.\n" * 63)[:1000]
SUBMITTED = TYPED.replace("\n", "\r\n")


class TestCommentLineBreaks:
    """A comment that fits the textarea's 1000 characters is taken with its
    line breaks, which count one each wherever the answer comes from."""

    def test_the_page_takes_a_comment_that_fits_the_textarea(
        self, invitation: Invitation, client: Client
    ) -> None:
        page = client.post(f"/encuestas/{invitation.token}/", {**GOOD, "comment": SUBMITTED})

        assert (len(TYPED), len(SUBMITTED), TYPED.count("\n")) == (1000, 1062, 62)
        assert page.status_code == 302
        assert Response.objects.get().comment == TYPED.strip()

    def test_the_page_refuses_one_character_more(
        self, invitation: Invitation, client: Client
    ) -> None:
        page = client.post(
            f"/encuestas/{invitation.token}/", {**GOOD, "comment": SUBMITTED[:-1] + "xy"}
        )

        assert page.status_code == 422
        assert 'maxlength="1000"' in page.content.decode()
        assert nothing_stored(invitation)

    @pytest.mark.parametrize("breaks", ["\r\n", "\r"])
    def test_the_action_counts_a_line_break_as_one(
        self, invitation: Invitation, breaks: str
    ) -> None:
        actions.answer(invitation.token, {**GOOD, "comment": TYPED.replace("\n", breaks)})

        assert Response.objects.get().comment == TYPED.strip()

    def test_the_action_refuses_one_character_more(self, invitation: Invitation) -> None:
        with pytest.raises(Invalid) as refused:
            actions.answer(invitation.token, {**GOOD, "comment": SUBMITTED[:-1] + "xy"})

        assert refused.value.code == "invalid_comment"
        assert nothing_stored(invitation)

    def test_the_api_counts_a_line_break_as_one(
        self, invitation: Invitation, client: Client
    ) -> None:
        response = client.post(
            f"/api/v1/surveys/{invitation.token}",
            {**GOOD, "comment": SUBMITTED},
            content_type="application/json",
        )

        assert response.status_code == 201
        assert Response.objects.get().comment == TYPED.strip()
