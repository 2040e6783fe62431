"""A survey link expires TOKEN_DAYS (7) after the attention; an expired or
unknown link is refused with a clear page and nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

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
