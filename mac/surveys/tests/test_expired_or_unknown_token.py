"""A survey link expires TOKEN_DAYS (7) after the attention; an expired or
unknown link is refused with a clear page and nothing is stored. A token
that does not look like one (a NUL byte, the wrong length or alphabet) is
"not found" before any query: PostgreSQL refuses a NUL in a text value, so
querying with it was a 500."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mac.surveys import actions
from mac.surveys.errors import Expired, NotFound
from mac.surveys.models import Invitation, Response
from mac.surveys.testing import GOOD, World, attend

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(world: World) -> Invitation:
    return actions.offer(attend(world.reniec_counter, world.bob, world.dni))


class TestExpiredOrUnknownToken:
    def test_it_accepts_an_answer_until_the_last_moment(self, invitation: Invitation) -> None:
        just_before = invitation.expires_at - dt.timedelta(seconds=1)

        actions.answer(invitation.token, GOOD, now=just_before)

        assert Response.objects.count() == 1

    def test_it_refuses_an_expired_link(self, invitation: Invitation) -> None:
        with pytest.raises(Expired) as refused:
            actions.answer(invitation.token, GOOD, now=invitation.expires_at)

        assert (refused.value.status, refused.value.code) == (410, "expired")
        assert Response.objects.count() == 0
        invitation.refresh_from_db()
        assert invitation.answered_at is None

    def test_it_shows_a_clear_page_for_an_expired_link(
        self, invitation: Invitation, client: Client, clock: time_machine.Traveller
    ) -> None:
        clock.move_to(invitation.expires_at + dt.timedelta(minutes=1))

        opened = client.get(f"/encuestas/{invitation.token}/")
        posted = client.post(f"/encuestas/{invitation.token}/", GOOD)

        assert opened.status_code == 410 == posted.status_code
        assert "El plazo para responder venció" in posted.content.decode()
        assert "No se guardó ninguna respuesta" in posted.content.decode()
        assert "no-store" in posted["Cache-Control"]
        assert Response.objects.count() == 0

    @pytest.mark.parametrize("token", ["no-existe", "x" * 32])
    def test_it_refuses_an_unknown_link(self, world: World, client: Client, token: str) -> None:
        with pytest.raises(NotFound):
            actions.answer(token, GOOD)
        page = client.post(f"/encuestas/{token}/", GOOD)

        assert page.status_code == 404
        assert "No encontramos esta encuesta" in page.content.decode()
        assert Response.objects.count() == 0

    @pytest.mark.parametrize(
        "token",
        [
            pytest.param("abc\x00def", id="a NUL byte"),
            pytest.param("x" * 31 + "\x00", id="a NUL at the end of 32 characters"),
            pytest.param("x" * 31, id="too short"),
            pytest.param("x" * 44, id="too long"),
            pytest.param("ñ" * 32, id="not URL-safe base64"),
            pytest.param("x" * 32 + "\n", id="a trailing line break"),
        ],
    )
    def test_it_refuses_a_malformed_token_before_any_query(
        self, world: World, client: Client, token: str
    ) -> None:
        quoted = quote(token, safe="")
        with CaptureQueriesContext(connection) as queries:
            with pytest.raises(NotFound) as refused:
                actions.answer(token, GOOD)
            opened = client.get(f"/encuestas/{quoted}/")
            posted = client.post(f"/encuestas/{quoted}/", GOOD)
            api = client.post(f"/api/v1/surveys/{quoted}", GOOD, content_type="application/json")

        assert refused.value.status == 404
        assert (opened.status_code, posted.status_code, api.status_code) == (404, 404, 404)
        assert "No encontramos esta encuesta" in posted.content.decode()
        assert api.json()["code"] == "not_found"
        assert not [q for q in queries.captured_queries if "surveys_invitation" in q["sql"]]
        assert Response.objects.count() == 0

    def test_a_well_formed_token_is_looked_up(self, invitation: Invitation, client: Client) -> None:
        opened = client.get(f"/encuestas/{invitation.token}/")

        assert len(invitation.token) == 32
        assert actions.looks_like_token(invitation.token)
        assert opened.status_code == 200
