"""The API reads JSON bodies. A signed-in screen (session and CSRF token)
that posts something else to an action with an optional body gets a clear
answer and nothing is done: a form (multipart, even with no part, or
form-encoded) is a 415 `unsupported_media_type`, malformed JSON a 400
`invalid_json`; an empty body is no body, as an empty JSON body is. The
multipart ones were a 500: the CSRF check had parsed the form, and ninja
could no longer read the body."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from mac.core.models import AuditLog
from mac.queueing import actions
from mac.queueing.models import Counter, SessionBreak, Ticket
from mac.queueing.testing import OPEN

from .conftest import Desk

TOKEN = "k" * 32
MULTIPART = "multipart/form-data; boundary=BoUnDaRy"
NO_PART = b"--BoUnDaRy--\r\n"
ONE_PART = (
    b'--BoUnDaRy\r\nContent-Disposition: form-data; name="reason"\r\n\r\nleft\r\n--BoUnDaRy--\r\n'
)
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
NOT_JSON = {
    "detail": "La API recibe JSON: envía el cuerpo con Content-Type: application/json.",
    "code": "unsupported_media_type",
}
BAD_JSON = {"detail": "El cuerpo de la solicitud no es un JSON válido.", "code": "invalid_json"}

REFUSED = [
    pytest.param(MULTIPART, NO_PART, 415, NOT_JSON, id="empty-multipart-form"),
    pytest.param(MULTIPART, ONE_PART, 415, NOT_JSON, id="multipart-form-with-a-field"),
    pytest.param(FORM, b"reason=left", 415, NOT_JSON, id="form-encoded"),
    pytest.param(JSON, b'{"reason": ', 400, BAD_JSON, id="malformed-json"),
    pytest.param(JSON, b"\xff\xfe", 400, BAD_JSON, id="not-utf-8"),
]


def screen(desk: Desk) -> Client:
    """The advisor's browser: a session, and CSRF checks as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.advisor)
    client.cookies["csrftoken"] = TOKEN
    return client


def send(client: Client, path: str, content_type: str, body: bytes) -> Any:
    with time_machine.travel(OPEN, tick=False):
        return client.generic(
            "POST",
            f"/api/v1/queue{path}",
            body,
            content_type=content_type,
            headers={"X-CSRFToken": TOKEN},
        )


@pytest.fixture
def waiting(desk: Desk) -> Ticket:
    return actions.issue_ticket(desk.center, desk.dni, now=OPEN)


def ticket_state(ticket: Ticket) -> tuple[Any, ...]:
    ticket.refresh_from_db()
    return ticket.state, ticket.ended_at, AuditLog.objects.count()


def counter_state(desk: Desk) -> tuple[Any, ...]:
    counter = Counter.objects.get(pk=desk.counter.pk)
    breaks = list(SessionBreak.objects.values_list("reason", flat=True))
    return counter.status, breaks, AuditLog.objects.count()


class TestCancelBody:
    @pytest.mark.parametrize(("content_type", "body", "status", "answer"), REFUSED)
    def test_it_refuses_a_body_that_is_not_json_and_cancels_nothing(
        self, desk: Desk, waiting: Ticket, content_type: str, body: bytes, status: int, answer: dict
    ) -> None:
        # given
        before = ticket_state(waiting)

        # when
        response = send(screen(desk), f"/tickets/{waiting.pk}/cancel", content_type, body)

        # then
        assert (response.status_code, response.json()) == (status, answer)
        assert ticket_state(waiting) == before
        assert before[:2] == ("waiting", None)

    @pytest.mark.parametrize("content_type", [MULTIPART, FORM, JSON, ""])
    def test_an_empty_body_is_no_body(self, desk: Desk, waiting: Ticket, content_type: str) -> None:
        response = send(screen(desk), f"/tickets/{waiting.pk}/cancel", content_type, b"")

        assert (response.status_code, response.json()["state"]) == (200, "cancelled")
        audit = AuditLog.objects.get(action="queue.ticket.cancelled")
        assert (audit.actor_id, audit.data["reason"]) == (desk.advisor.pk, "")

    def test_a_json_body_is_read(self, desk: Desk, waiting: Ticket) -> None:
        response = send(screen(desk), f"/tickets/{waiting.pk}/cancel", JSON, b'{"reason": "left"}')

        assert (response.status_code, response.json()["state"]) == (200, "cancelled")
        assert AuditLog.objects.get(action="queue.ticket.cancelled").data["reason"] == "left"


class TestPauseBody:
    @pytest.mark.parametrize(("content_type", "body", "status", "answer"), REFUSED)
    def test_it_refuses_a_body_that_is_not_json_and_stays_open(
        self, desk: Desk, content_type: str, body: bytes, status: int, answer: dict
    ) -> None:
        before = counter_state(desk)

        response = send(screen(desk), f"/counters/{desk.counter.pk}/pause", content_type, body)

        assert (response.status_code, response.json()) == (status, answer)
        assert counter_state(desk) == before
        assert before[:2] == ("open", [])

    @pytest.mark.parametrize("content_type", [MULTIPART, FORM, JSON, ""])
    def test_an_empty_body_is_no_body(self, desk: Desk, content_type: str) -> None:
        # No body is {}: the pause's one field, its reason, is optional.
        response = send(screen(desk), f"/counters/{desk.counter.pk}/pause", content_type, b"")

        assert (response.status_code, response.json()["status"]) == (200, "paused")
        assert counter_state(desk)[:2] == ("paused", [""])

    def test_an_empty_json_object_pauses(self, desk: Desk) -> None:
        response = send(screen(desk), f"/counters/{desk.counter.pk}/pause", JSON, b"{}")

        assert (response.status_code, response.json()["status"]) == (200, "paused")
        assert counter_state(desk)[:2] == ("paused", [""])


class TestNoBodyRead:
    def test_an_action_without_a_body_ignores_a_form(self, desk: Desk, waiting: Ticket) -> None:
        # Only an operation that reads a body refuses a form.
        response = send(screen(desk), f"/counters/{desk.counter.pk}/call-next", MULTIPART, NO_PART)

        assert (response.status_code, response.json()["code"]) == (200, waiting.code)
