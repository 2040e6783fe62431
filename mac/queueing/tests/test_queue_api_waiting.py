"""The API's actions on a waiting ticket: change its service
(POST /tickets/{id}/service) and cancel it with a reason."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from mac.accounts.models import Role
from mac.core.models import AuditLog
from mac.core.testing import make_user
from mac.queueing import actions
from mac.queueing.models import Ticket, TicketEvent
from mac.queueing.testing import OPEN, queue_center, queue_service

from .conftest import Desk
from .test_queue_api import login, post


def unchanged(ticket: Ticket) -> tuple[Any, ...]:
    ticket.refresh_from_db()
    return (
        ticket.state,
        ticket.service_id,
        TicketEvent.objects.count(),
        AuditLog.objects.count(),
    )


class TestChangeServiceApi:
    def test_orientation_staff_move_a_waiting_ticket(self, desk: Desk, client: Client) -> None:
        # given
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        olga = make_user("olga", Role.ORIENTATION, center=desk.center)
        login(client, olga)

        # when
        status, body = post(client, f"/tickets/{ticket.pk}/service", {"service": desk.ruc.pk})

        # then
        assert status == 200
        assert (body["id"], body["code"], body["state"], body["service"], body["entity"]) == (
            ticket.pk,
            "R-001",
            "waiting",
            desk.ruc.pk,
            desk.sunat.pk,
        )
        assert AuditLog.objects.get(action="queue.ticket.service_changed").actor_id == olga.pk

    def test_a_ticket_called_meanwhile_is_a_409(self, desk: Desk, client: Client) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.call_next(desk.counter, by=desk.advisor, now=OPEN)
        login(client, make_user("olga", Role.ORIENTATION, center=desk.center))
        before = unchanged(ticket)

        status, body = post(client, f"/tickets/{ticket.pk}/service", {"service": desk.ruc.pk})

        assert (status, body["code"]) == (409, "not_waiting")
        assert body["detail"] == (
            "No se puede cambiar de trámite: el ticket R-001 ya no está en espera, lo llamó el"
            " Módulo 1."
        )
        assert unchanged(ticket) == before

    def test_another_centers_staff_do_not_find_it(self, desk: Desk, client: Client) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        other = queue_center("arequipa", name="Centro MAC Arequipa", district="040112")
        login(client, make_user("oscar", Role.ORIENTATION, center=other))
        before = unchanged(ticket)

        status, body = post(client, f"/tickets/{ticket.pk}/service", {"service": desk.ruc.pk})

        assert (status, body["code"]) == (404, "ticket")
        assert unchanged(ticket) == before

    def test_entity_staff_read_but_do_not_move(self, desk: Desk, client: Client) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        login(client, make_user("eva", Role.ENTITY_SUPERVISOR, entity=desk.reniec))
        before = unchanged(ticket)

        status, body = post(client, f"/tickets/{ticket.pk}/service", {"service": desk.ruc.pk})

        assert (status, body["code"]) == (403, "role")
        assert unchanged(ticket) == before

    @pytest.mark.parametrize(
        ("service", "status", "code"),
        [("unknown", 404, "service"), ("unstaffed", 409, "service_unstaffed")],
    )
    def test_it_refuses_a_service_nobody_could_call_it_for(
        self, desk: Desk, client: Client, service: str, status: int, code: str
    ) -> None:
        unstaffed = queue_service(desk.sunat, "Cambio de domicilio fiscal", desk.center)
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        login(client, make_user("olga", Role.ORIENTATION, center=desk.center))
        before = unchanged(ticket)
        target = unstaffed.pk if service == "unstaffed" else unstaffed.pk + 100

        answer = post(client, f"/tickets/{ticket.pk}/service", {"service": target})

        assert (answer[0], answer[1]["code"]) == (status, code)
        assert unchanged(ticket) == before

    def test_it_is_in_the_openapi_spec(self, client: Client) -> None:
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        operation = paths["/api/v1/queue/tickets/{ticket_id}/service"]["post"]
        assert operation["summary"] == "Cambiar de trámite un ticket en espera"
        assert sorted(operation["responses"]) == ["200", "401", "403", "404", "409", "422"]
        cancel = paths["/api/v1/queue/tickets/{ticket_id}/cancel"]["post"]
        assert cancel["requestBody"]["required"] is False


class TestCancelApi:
    def test_it_keeps_the_reason(self, desk: Desk, client: Client) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        login(client, make_user("olga", Role.ORIENTATION, center=desk.center))

        status, body = post(client, f"/tickets/{ticket.pk}/cancel", {"reason": "mistake"})

        assert (status, body["state"]) == (200, "cancelled")
        audit = AuditLog.objects.get(action="queue.ticket.cancelled")
        assert audit.data == {"code": "R-001", "reason": "mistake"}

    def test_a_client_may_still_cancel_without_a_body(self, desk: Desk, client: Client) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        login(client, make_user("olga", Role.ORIENTATION, center=desk.center))

        with time_machine.travel(OPEN, tick=False):
            response = client.post(
                f"/api/v1/queue/tickets/{ticket.pk}/cancel", "", content_type="application/json"
            )

        assert (response.status_code, response.json()["state"]) == (200, "cancelled")
        assert AuditLog.objects.get(action="queue.ticket.cancelled").data == {
            "code": "R-001",
            "reason": "",
        }

    def test_an_unknown_reason_is_a_422(self, desk: Desk, client: Client) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        login(client, make_user("olga", Role.ORIENTATION, center=desk.center))
        before = unchanged(ticket)

        status, body = post(client, f"/tickets/{ticket.pk}/cancel", {"reason": "bored"})

        assert (status, body["code"]) == (422, "invalid")
        assert unchanged(ticket) == before
