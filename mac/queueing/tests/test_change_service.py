"""`actions.change_service`: a waiting ticket moves to another service of its
center, keeping its code and its place; a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mac.accounts.models import Role, User
from mac.catalog.models import Service
from mac.core.models import AuditLog, Event
from mac.core.testing import make_user
from mac.queueing import actions, queries
from mac.queueing.actions import serving
from mac.queueing.errors import Conflict, Invalid, QueueError
from mac.queueing.models import Ticket, TicketEvent, TicketSequence
from mac.queueing.testing import OPEN, make_counter, make_entity, queue_center, queue_service

from .conftest import Desk

LATER = OPEN + dt.timedelta(minutes=10)


@pytest.fixture
def olga(desk: Desk) -> User:
    return make_user("olga", Role.ORIENTATION, center=desk.center)


def state_of(ticket: Ticket) -> tuple[Any, ...]:
    """Everything a refused change must leave as it was."""
    ticket.refresh_from_db()
    return (
        ticket.state,
        ticket.service_id,
        ticket.entity_id,
        ticket.code,
        ticket.wait_from,
        ticket.appointment_at,
        ticket.target_wait_seconds,
        ticket.counter_id,
        TicketEvent.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
        Ticket.objects.count(),
    )


def refused(ticket: Ticket, service: Service, by: User) -> QueueError:
    before = state_of(ticket)
    with pytest.raises(QueueError) as info:
        actions.change_service(ticket, service, by=by, now=LATER)
    assert state_of(ticket) == before
    return info.value


class TestChangeService:
    def test_it_keeps_the_code_and_the_place_in_the_new_service(
        self, desk: Desk, olga: User
    ) -> None:
        # given: a DNI ticket, then a RUC ticket issued five minutes later
        wrong = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        later = actions.issue_ticket(desk.center, desk.ruc, now=OPEN + dt.timedelta(minutes=5))

        # when: the DNI ticket moves to the RUC
        moved = actions.change_service(wrong, desk.ruc, by=olga, now=LATER)

        # then: same code and number, its wait still counts from the start
        moved.refresh_from_db()
        assert (moved.code, moved.series, moved.number, moved.state) == ("R-001", "R", 1, "waiting")
        assert (moved.service_id, moved.entity_id) == (desk.ruc.pk, desk.sunat.pk)
        assert (moved.issued_at, moved.wait_from) == (OPEN, OPEN)
        assert moved.target_wait_seconds == 15 * 60
        # no number of the new series was used
        assert list(
            TicketSequence.objects.order_by("series").values_list("series", "last_number")
        ) == [
            ("R", 1),
            ("S", 1),
        ]
        # history, audit row and the event the screens apply
        event = TicketEvent.objects.filter(ticket=moved).last()
        assert event is not None
        assert (event.state, event.at, event.by_id, event.note) == (
            "waiting",
            LATER,
            olga.pk,
            f"{desk.dni.code} > {desk.ruc.code}",
        )
        audit = AuditLog.objects.get(action="queue.ticket.service_changed")
        assert (audit.actor_id, audit.object_id, audit.data) == (
            olga.pk,
            str(moved.pk),
            {"code": "R-001", "from_service": desk.dni.code, "to_service": desk.ruc.code},
        )
        payload = Event.objects.order_by("id").last().payload  # type: ignore[union-attr]
        assert {k: payload[k] for k in ("type", "ticket", "code", "service", "from_service")} == {
            "type": "ticket.service_changed",
            "ticket": moved.pk,
            "code": "R-001",
            "service": desk.ruc.pk,
            "from_service": desk.dni.pk,
        }
        # the SUNAT counter calls it before the RUC ticket issued after it
        called = actions.call_next(desk.sunat_counter, by=desk.sunat_advisor, now=LATER)
        assert called is not None and called.pk == moved.pk
        later.refresh_from_db()
        assert later.state == "waiting"

    def test_it_takes_the_new_services_waiting_target(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)

        actions.change_service(ticket, desk.acta, by=olga, now=LATER)

        ticket.refresh_from_db()
        assert (ticket.service_id, ticket.target_wait_seconds) == (desk.acta.pk, 10 * 60)

    def test_an_appointment_waits_in_the_new_service_as_a_walk_in_since_its_issue(
        self, desk: Desk, olga: User
    ) -> None:
        # given: a citizen checked in at 10:00 for an appointment at 10:20
        slot = OPEN + dt.timedelta(minutes=20)
        booked = actions.issue_ticket(
            desk.center, desk.dni, source="appointment", appointment_at=slot, now=OPEN
        )
        assert booked.wait_from == slot

        # when
        actions.change_service(booked, desk.ruc, by=olga, now=LATER)

        # then: the booking's precedence stays with the booked service
        booked.refresh_from_db()
        assert (booked.appointment_at, booked.wait_from, booked.target_wait_seconds) == (
            None,
            OPEN,
            15 * 60,
        )
        assert booked.source == "appointment"


class TestChangeServiceRefusals:
    def test_it_refuses_a_ticket_a_counter_called_meanwhile(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.call_next(desk.counter, by=desk.advisor, now=OPEN)

        error = refused(ticket, desk.ruc, olga)

        assert (type(error), error.status, error.code) == (Conflict, 409, "not_waiting")
        assert error.message == (
            "No se puede cambiar de trámite: el ticket R-001 ya no está en espera, lo llamó el"
            " Módulo 1."
        )

    def test_it_refuses_a_cancelled_ticket(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.cancel(ticket, by=olga, reason="left", now=OPEN)

        error = refused(ticket, desk.ruc, olga)

        assert (error.code, error.message) == (
            "not_waiting",
            "No se puede cambiar de trámite: el ticket R-001 ya no está en espera"
            " (está «Anulado»).",
        )

    def test_it_refuses_the_same_service(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)

        error = refused(ticket, desk.dni, olga)

        assert (type(error), error.code) == (Invalid, "same_service")

    def test_it_refuses_a_service_the_center_does_not_offer(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        other = queue_center("arequipa", name="Centro MAC Arequipa", district="040112")
        elsewhere = queue_service(desk.sunat, "Cambio de domicilio fiscal", other, series="D")

        error = refused(ticket, elsewhere, olga)

        assert (type(error), error.code) == (Invalid, "service_not_offered")

    def test_it_refuses_a_service_no_counter_serves(self, desk: Desk, olga: User) -> None:
        sunarp = make_entity("SUNARP")
        unstaffed = queue_service(sunarp, "Copia literal", desk.center, series="P")
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)

        error = refused(ticket, unstaffed, olga)

        assert (error.status, error.code) == (409, "service_unstaffed")
        assert error.message.startswith(
            "Ningún módulo habilitado de Centro MAC Lima Norte tiene «Copia literal»"
        )

    def test_it_refuses_a_service_nobody_serves_in_the_tickets_language(
        self, desk: Desk, olga: User
    ) -> None:
        # given: a Quechua DNI ticket (a RENIEC counter speaks Quechua; SUNAT's do not)
        make_counter(desk.center, desk.reniec, 7, [desk.dni], languages=["es", "qu"])
        ticket = actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)

        error = refused(ticket, desk.ruc, olga)

        assert (error.status, error.code) == (409, "language_unavailable")
        assert "«Inscripción en el RUC» en quechua" in error.message

    def test_it_refuses_a_service_the_visit_already_waits_for(self, desk: Desk, olga: User) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.add_service(ticket.visit, desk.acta, by=olga, now=OPEN)

        error = refused(ticket, desk.acta, olga)

        assert (type(error), error.code) == (Conflict, "duplicate")


class TestCallAfterChange:
    def test_a_counter_that_chose_the_ticket_before_it_moved_does_not_call_it(
        self, desk: Desk, olga: User, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # given: the RENIEC counter reads the queue (one DNI ticket), then the
        # desk moves that ticket to SUNAT's RUC before the counter claims it
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        read = queries.build_snapshot

        def snapshot_then_move(*args: Any, **kwargs: Any) -> Any:
            snapshot = read(*args, **kwargs)
            actions.change_service(ticket, desk.ruc, by=olga, now=LATER)
            return snapshot

        monkeypatch.setattr(serving, "build_snapshot", snapshot_then_move)

        # when
        called = actions.call_next(desk.counter, by=desk.advisor, now=LATER)

        # then: a RENIEC counter never calls a RUC ticket; it waits for SUNAT
        assert called is None
        ticket.refresh_from_db()
        assert (ticket.state, ticket.service_id, ticket.counter_id) == (
            "waiting",
            desk.ruc.pk,
            None,
        )
        desk.counter.refresh_from_db()
        assert desk.counter.current_ticket_id is None
        assert not TicketEvent.objects.filter(state="called").exists()
