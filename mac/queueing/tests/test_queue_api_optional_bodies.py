"""An action whose body has only optional fields takes no body at all as
`{}`: pausing a counter (its reason) and finishing an attention (its
outcome), as cancelling a ticket (its reason) already did. They were a 422
without a body. A form body is still refused (415), and the OpenAPI spec
says the body is optional."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from mac.core.models import AuditLog
from mac.queueing import actions
from mac.queueing.models import Attention, Counter, SessionBreak, Ticket
from mac.queueing.testing import OPEN

from .conftest import Desk

NOT_JSON = {
    "detail": "La API recibe JSON: envía el cuerpo con Content-Type: application/json.",
    "code": "unsupported_media_type",
}


def post_without_body(client: Client, path: str, content_type: str = "") -> Any:
    """A POST with no bytes in its body (a client that sends no body at all
    has no Content-Type either)."""
    with time_machine.travel(OPEN, tick=False):
        return client.generic("POST", f"/api/v1/queue{path}", b"", CONTENT_TYPE=content_type)


def counter_state(desk: Desk) -> tuple[Any, ...]:
    counter = Counter.objects.get(pk=desk.counter.pk)
    breaks = list(SessionBreak.objects.values_list("reason", flat=True))
    return counter.status, breaks, AuditLog.objects.count()


@pytest.fixture
def serving(desk: Desk) -> Ticket:
    """A ticket the advisor of desk.counter has called and started."""
    actions.issue_ticket(desk.center, desk.dni, now=OPEN)
    ticket = actions.call_next(desk.counter, by=desk.advisor, now=OPEN)
    assert ticket is not None
    return actions.start(ticket, by=desk.advisor, now=OPEN)


class TestPauseWithoutBody:
    @pytest.mark.parametrize("content_type", ["", "application/json"], ids=["no-type", "json"])
    def test_it_pauses_with_no_reason(self, desk: Desk, client: Client, content_type: str) -> None:
        # given
        client.force_login(desk.advisor)

        # when
        response = post_without_body(client, f"/counters/{desk.counter.pk}/pause", content_type)

        # then
        assert (response.status_code, response.json()) == (
            200,
            {
                "id": desk.counter.pk,
                "number": 1,
                "entity": desk.reniec.pk,
                "status": "paused",
                "current_ticket": None,
            },
        )
        assert counter_state(desk)[:2] == ("paused", [""])
        audit = AuditLog.objects.get(action="queue.counter.pause")
        assert (audit.actor_id, audit.data["reason"]) == (desk.advisor.pk, "")

    def test_it_still_refuses_a_form(self, desk: Desk, client: Client) -> None:
        client.force_login(desk.advisor)
        before = counter_state(desk)

        with time_machine.travel(OPEN, tick=False):
            response = client.post(
                f"/api/v1/queue/counters/{desk.counter.pk}/pause",
                "reason=almuerzo",
                content_type="application/x-www-form-urlencoded",
            )

        assert (response.status_code, response.json()) == (415, NOT_JSON)
        assert counter_state(desk) == before
        assert before[:2] == ("open", [])


class TestFinishWithoutBody:
    def test_it_finishes_as_resolved(self, desk: Desk, client: Client, serving: Ticket) -> None:
        # given
        client.force_login(desk.advisor)

        # when
        response = post_without_body(client, f"/tickets/{serving.pk}/finish")

        # then
        assert response.status_code == 200
        attention = Attention.objects.get(ticket=serving)
        assert (response.json()["id"], response.json()["outcome"]) == (attention.pk, "resolved")
        assert Ticket.objects.get(pk=serving.pk).state == "done"

    def test_it_still_refuses_a_form(self, desk: Desk, client: Client, serving: Ticket) -> None:
        client.force_login(desk.advisor)

        with time_machine.travel(OPEN, tick=False):
            response = client.post(
                f"/api/v1/queue/tickets/{serving.pk}/finish",
                "outcome=pending",
                content_type="application/x-www-form-urlencoded",
            )

        assert (response.status_code, response.json()) == (415, NOT_JSON)
        assert Ticket.objects.get(pk=serving.pk).state == "serving"
        assert not Attention.objects.exists()


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        ("/api/v1/queue/counters/{counter_id}/pause", "PauseIn"),
        ("/api/v1/queue/tickets/{ticket_id}/finish", "FinishIn"),
        ("/api/v1/queue/tickets/{ticket_id}/cancel", "CancelIn"),
    ],
    ids=["pause", "finish", "cancel"],
)
def test_the_spec_says_the_body_is_optional(client: Client, path: str, schema: str) -> None:
    spec = client.get("/api/v1/openapi.json").json()

    body = spec["paths"][path]["post"]["requestBody"]

    assert body == {
        "content": {
            "application/json": {
                "schema": {"anyOf": [{"$ref": f"#/components/schemas/{schema}"}, {"type": "null"}]}
            }
        },
        "required": False,
    }
    assert "required" not in spec["components"]["schemas"][schema]
