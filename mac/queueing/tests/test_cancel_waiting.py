"""`actions.cancel`: a waiting ticket is cancelled with a reason, kept with who
cancelled it; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mac.accounts.models import Role, User
from mac.core.models import AuditLog, Event
from mac.core.testing import make_user
from mac.queueing import actions
from mac.queueing.errors import Conflict, Invalid, QueueError
from mac.queueing.models import Ticket, TicketEvent
from mac.queueing.testing import OPEN

from .conftest import Desk

LATER = OPEN + dt.timedelta(minutes=10)


@pytest.fixture
def olga(desk: Desk) -> User:
    return make_user("olga", Role.ORIENTATION, center=desk.center)


def state_of(ticket: Ticket) -> tuple[Any, ...]:
    ticket.refresh_from_db()
    return (
        ticket.state,
        ticket.ended_at,
        ticket.counter_id,
        TicketEvent.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
    )


def refused(ticket: Ticket, by: User, reason: str) -> QueueError:
    before = state_of(ticket)
    with pytest.raises(QueueError) as info:
        actions.cancel(ticket, by=by, reason=reason, now=LATER)
    assert state_of(ticket) == before
    return info.value


class TestCancelWithReason:
    def test_it_keeps_the_reason_and_who_cancelled(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)

        actions.cancel(ticket, by=olga, reason="duplicate", now=LATER)

        ticket.refresh_from_db()
        assert (ticket.state, ticket.ended_at) == ("cancelled", LATER)
        event = TicketEvent.objects.filter(ticket=ticket).last()
        assert event is not None
        assert (event.state, event.at, event.by_id, event.note) == (
            "cancelled",
            LATER,
            olga.pk,
            "duplicate",
        )
        audit = AuditLog.objects.get(action="queue.ticket.cancelled")
        assert (audit.actor_id, audit.object_id, audit.data) == (
            olga.pk,
            str(ticket.pk),
            {"code": "R-001", "reason": "duplicate"},
        )
        payload = Event.objects.order_by("id").last().payload  # type: ignore[union-attr]
        assert (payload["type"], payload["ticket"], payload["reason"]) == (
            "ticket.cancelled",
            ticket.pk,
            "duplicate",
        )

    def test_it_refuses_an_unknown_reason(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)

        error = refused(ticket, olga, "bored")

        assert (type(error), error.code) == (Invalid, "cancel_reason")

    def test_it_refuses_a_ticket_a_counter_called_meanwhile(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.call_next(desk.counter, by=desk.advisor, now=OPEN)

        error = refused(ticket, olga, "left")

        assert (type(error), error.status, error.code, error.message) == (
            Conflict,
            409,
            "not_waiting",
            "No se puede anular: el ticket R-001 ya no está en espera, lo llamó el Módulo 1.",
        )

    def test_it_refuses_a_ticket_already_cancelled(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.cancel(ticket, by=olga, reason="left", now=OPEN)

        error = refused(ticket, olga, "mistake")

        assert (error.code, error.message) == (
            "not_waiting",
            "No se puede anular: el ticket R-001 ya no está en espera (está «Anulado»).",
        )
