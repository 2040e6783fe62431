"""`add_service_at_counter`: the advisor holding a called or served ticket
adds another procedure to its visit; the new ticket waits (source "counter")
and the attention goes on. Anyone else, or a ticket no counter holds, is
refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from mac.core.models import AuditLog, Event
from mac.queueing import actions
from mac.queueing.errors import Conflict, Forbidden
from mac.queueing.models import Ticket, TicketEvent, Visit
from mac.queueing.testing import OPEN

from .conftest import Desk

LATER = OPEN + dt.timedelta(minutes=5)


def written() -> tuple:
    return (
        Visit.objects.count(),
        list(Ticket.objects.order_by("pk").values_list("code", "state")),
        TicketEvent.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
    )


class TestAddServiceAtCounter:
    @pytest.mark.parametrize("serving", [False, True], ids=["called", "serving"])
    def test_it_queues_a_ticket_of_the_same_visit(self, desk: Desk, serving: bool) -> None:
        ticket = actions.issue_ticket(
            desk.center,
            desk.dni,
            priority_reason="child",
            document_type="dni",
            document_number="10117410",
            now=OPEN,
        )
        actions.call_next(desk.counter, by=desk.advisor, now=OPEN)
        if serving:
            actions.start(ticket, by=desk.advisor, now=OPEN)

        new = actions.add_service_at_counter(ticket, desk.ruc, by=desk.advisor, now=LATER)

        assert (new.code, new.state, new.source, new.visit_id) == (
            "S-001",
            "waiting",
            "counter",
            ticket.visit_id,
        )
        assert (new.priority, new.language, new.issued_at) == (True, "es", LATER)
        held = Ticket.objects.get(pk=ticket.pk)
        assert held.state == ("serving" if serving else "called")
        desk.counter.refresh_from_db()
        assert desk.counter.current_ticket_id == ticket.pk

    def test_only_the_advisor_holding_the_ticket_adds(self, desk: Desk) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.call_next(desk.counter, by=desk.advisor, now=OPEN)
        before = written()

        with pytest.raises(Forbidden) as refused:
            actions.add_service_at_counter(ticket, desk.ruc, by=desk.sunat_advisor, now=LATER)

        assert (refused.value.code, refused.value.message) == (
            "not_your_counter",
            "Otro asesor atiende en el Módulo 1.",
        )
        assert written() == before

    def test_a_ticket_no_counter_holds_gets_nothing(self, desk: Desk) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)  # waiting
        before = written()

        with pytest.raises(Conflict) as refused:
            actions.add_service_at_counter(ticket, desk.ruc, by=desk.advisor, now=LATER)

        assert (refused.value.code, refused.value.message) == (
            "not_called",
            "El ticket R-001 está «En espera».",
        )
        assert written() == before
