"""The board's notices are set with the center's queue settings
(CenterQueue.params["notices"]); the routing policy ignores them, so a center
with notices calls tickets as any other, and the admin saves them."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mac.accounts.models import Role
from mac.core.testing import make_user
from mac.queueing import cache
from mac.queueing.models import CenterQueue, Ticket

from .test_live_state_stream import Screen, make_screen

NOTICE = "Hoy atendemos hasta las 6 p. m."
BOARD = "/centros/lima-norte/pantalla/"


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def board_notices(client: Client) -> str:
    html = client.get(BOARD).content.decode()
    return html.split('id="avisos">')[1].split("</ul>")[0]


class TestBoardNotices:
    def test_it_calls_at_a_center_with_notices_under_the_mac_policy(
        self, client: Client, screen: Screen
    ) -> None:
        # given
        CenterQueue.objects.filter(center=screen.center).update(
            policy="mac", params={"notices": NOTICE, "urgency": 1.5}
        )
        cache.clear()
        screen.sign_in_bob()
        ticket = screen.issue()
        client.force_login(screen.bob)

        # when
        response = client.post("/centros/lima-norte/modulo/llamar/", HTTP_HX_REQUEST="true")

        # then
        assert response.status_code == 200
        assert f"Llamando al ticket {ticket.code}." in response.content.decode()
        ticket.refresh_from_db()
        assert ticket.state == Ticket.State.CALLED
        assert f"<li>{NOTICE}</li>" in board_notices(Client())

    @pytest.mark.parametrize("policy", ["mac", "fifo"])
    def test_the_settings_accept_notices_under_every_policy(
        self, screen: Screen, policy: str
    ) -> None:
        row = CenterQueue.objects.get(center=screen.center)
        row.policy, row.params = policy, {"notices": [NOTICE, "Tenga a la mano su DNI."]}

        row.full_clean()

        row.save()
        row.refresh_from_db()
        assert row.params == {"notices": [NOTICE, "Tenga a la mano su DNI."]}

    def test_the_settings_still_refuse_an_unknown_key_next_to_notices(self, screen: Screen) -> None:
        row = CenterQueue.objects.get(center=screen.center)
        row.policy, row.params = "mac", {"notices": NOTICE, "urgencia": 1}

        with pytest.raises(ValidationError) as refused:
            row.full_clean()

        assert refused.value.message_dict["params"] == [
            "«urgencia» no es un parámetro de la política mac"
        ]
        row.refresh_from_db()
        assert (row.policy, row.params) == ("fifo", {})

    def test_the_admin_saves_a_notice(self, client: Client, screen: Screen) -> None:
        # given
        row = CenterQueue.objects.get(center=screen.center)
        national = make_user("nadia", Role.NATIONAL_SUPERVISOR, is_staff=True)
        client.force_login(national)

        # when
        response = client.post(
            f"/admin/queueing/centerqueue/{row.pk}/change/",
            {
                "center": screen.center.pk,
                "policy": "mac",
                "params": json.dumps({"notices": NOTICE, "tail_level": 1.2}),
                "recall_limit": 2,
                "appointment_target_minutes": 5,
            },
        )

        # then
        assert response.status_code == 302
        row.refresh_from_db()
        assert (row.policy, row.params) == ("mac", {"notices": NOTICE, "tail_level": 1.2})
        assert f"<li>{NOTICE}</li>" in board_notices(Client())

    def test_the_board_shows_a_notice_that_is_not_text(self, screen: Screen) -> None:
        CenterQueue.objects.filter(center=screen.center).update(params={"notices": 18})

        assert board_notices(Client()).strip() == "<li>18</li>"
