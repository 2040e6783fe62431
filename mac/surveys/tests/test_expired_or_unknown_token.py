"""A survey link expires at the end of the Lima day TOKEN_DAYS (7) after the
attention's, the day the email and SMS name; an expired or unknown link is
refused with a clear page and nothing is stored. A token
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

from mac.core.calendar import LIMA, to_lima
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

    def test_it_is_valid_all_the_last_day_in_lima(
        self, world: World, client: Client, clock: time_machine.Traveller
    ) -> None:
        # given: an attention that ended on 1 December at 10:12 in Lima
        attention = attend(world.reniec_counter, world.bob, world.dni)
        invitation = actions.offer(attention)
        # when: the citizen answers on 8 December at 23:59:59 in Lima
        clock.move_to(dt.datetime(2026, 12, 8, 23, 59, 59, tzinfo=LIMA))
        page = client.post(f"/encuestas/{invitation.token}/", GOOD)

        # then
        assert to_lima(attention.ended_at) == dt.datetime(2026, 12, 1, 10, 12, tzinfo=LIMA)
        assert page.status_code == 302
        assert Response.objects.count() == 1

    def test_it_counts_the_days_from_the_lima_day(self, world: World) -> None:
        # An attention that ended at 19:30 in Lima (00:30 UTC on the 2nd)
        # counts from 1 December: valid through the 8th, not the 9th.
        attention = attend(world.reniec_counter, world.bob, world.dni)
        attention.ended_at = dt.datetime(2026, 12, 2, 0, 30, tzinfo=dt.UTC)

        invitation = actions.offer(attention)

        assert invitation.expires_at == dt.datetime(2026, 12, 8, 23, 59, 59, 999999, tzinfo=LIMA)

    def test_it_expires_when_the_last_day_ends_in_lima(
        self, invitation: Invitation, client: Client, clock: time_machine.Traveller
    ) -> None:
        clock.move_to(dt.datetime(2026, 12, 9, 0, 0, tzinfo=LIMA))

        page = client.post(f"/encuestas/{invitation.token}/", GOOD)

        assert page.status_code == 410
        assert Response.objects.count() == 0
        invitation.refresh_from_db()
        assert invitation.answered_at is None

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
