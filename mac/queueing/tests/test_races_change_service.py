"""Race safety of moving a waiting ticket to another service while a counter
calls it, with real concurrent connections (PostgreSQL only, as
test_races.py): exactly one of them gets the ticket. A move that loses gets a
409 (`not_waiting`) and changes nothing; a call that loses finds nobody to
call (None; 204 in the API) and changes nothing, and a counter never calls a
ticket that was moved to a service it does not serve."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from mac.accounts.models import Role, User
from mac.catalog.models import Entity, Service
from mac.centers.models import Center
from mac.core.models import AuditLog
from mac.core.testing import make_user
from mac.queueing import actions, queries
from mac.queueing.actions import serving, waiting
from mac.queueing.errors import Conflict
from mac.queueing.models import Counter, Ticket, TicketEvent
from mac.queueing.testing import (
    OPEN,
    make_counter,
    make_entity,
    queue_center,
    queue_service,
    staffed_counter,
)

from .test_races import concurrently

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has a single writer"
    ),
]


@dataclass
class Hall:
    center: Center
    reniec: Entity
    dni: Service
    ruc: Service
    counter: Counter  # RENIEC, serves only the DNI; its advisor is signed in
    advisor: User
    olga: User  # orientation desk


@pytest.fixture
def hall() -> Hall:
    center = queue_center("lima-norte", policy="fifo")
    reniec = make_entity("RENIEC")
    sunat = make_entity("SUNAT")
    dni = queue_service(reniec, "Duplicado de DNI", center, series="R")
    ruc = queue_service(sunat, "Inscripción en el RUC", center, series="S")
    make_counter(center, sunat, 2, [ruc])  # nobody signed in: RUC tickets wait
    counter, advisor = staffed_counter(center, reniec, 1, [dni])
    olga = make_user("olga", Role.ORIENTATION, center=center)
    return Hall(center, reniec, dni, ruc, counter, advisor, olga)


def moves_of(ticket: Ticket) -> int:
    return AuditLog.objects.filter(
        action="queue.ticket.service_changed", object_id=str(ticket.pk)
    ).count()


def calls_of(ticket: Ticket) -> int:
    return TicketEvent.objects.filter(ticket=ticket, state="called").count()


def assert_called_not_moved(hall: Hall, ticket: Ticket, refusal: Any) -> None:
    assert isinstance(refusal, Conflict), refusal
    assert (refusal.status, refusal.code) == (409, "not_waiting")
    assert refusal.message == (
        f"No se puede cambiar de trámite: el ticket {ticket.code} ya no está en espera,"
        " lo llamó el Módulo 1."
    )
    ticket.refresh_from_db()
    assert (ticket.state, ticket.service_id, ticket.counter_id) == (
        "called",
        hall.dni.pk,
        hall.counter.pk,
    )
    assert (calls_of(ticket), moves_of(ticket)) == (1, 0)


def assert_moved_not_called(hall: Hall, ticket: Ticket) -> None:
    ticket.refresh_from_db()
    assert (ticket.state, ticket.service_id, ticket.counter_id, ticket.called_at) == (
        "waiting",
        hall.ruc.pk,
        None,
        None,
    )
    assert (calls_of(ticket), moves_of(ticket)) == (0, 1)
    assert Counter.objects.get(pk=hall.counter.pk).current_ticket_id is None


class TestMoveAgainstCall:
    def test_a_move_and_a_call_at_once_one_of_them_gets_the_ticket(self, hall: Hall) -> None:
        outcomes = []
        for _round in range(12):
            # given: one DNI ticket waits; the RENIEC counter is free
            ticket = actions.issue_ticket(hall.center, hall.dni, now=OPEN)

            # when: the counter calls while the desk moves it to the RUC
            def work(i: int, ticket: Ticket = ticket) -> Any:
                if i == 0:
                    return actions.call_next(hall.counter, by=hall.advisor, now=OPEN)
                return actions.change_service(ticket, hall.ruc, by=hall.olga, now=OPEN)

            called, moved = concurrently(2, work)

            # then: exactly one of them has it, the other changed nothing
            if isinstance(called, Ticket):
                assert called.pk == ticket.pk
                assert_called_not_moved(hall, ticket, moved)
                actions.no_show(called, by=hall.advisor, now=OPEN)  # free the counter
                outcomes.append("called")
            else:
                assert called is None, called
                assert isinstance(moved, Ticket) and moved.pk == ticket.pk, moved
                assert_moved_not_called(hall, ticket)
                outcomes.append("moved")
        assert len(outcomes) == 12

    def test_a_call_that_holds_the_ticket_makes_the_move_wait_then_refuses_it(
        self, hall: Hall, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # given: the counter has claimed the ticket and not committed yet
        ticket = actions.issue_ticket(hall.center, hall.dni, now=OPEN)
        claimed, go_on = threading.Event(), threading.Event()
        publish = serving._publish

        def slow_publish(ticket: Ticket, kind: str, **kwargs: Any) -> None:
            if kind == "ticket.called":
                claimed.set()
                go_on.wait(10)
            publish(ticket, kind, **kwargs)

        monkeypatch.setattr(serving, "_publish", slow_publish)

        # when: the desk moves it meanwhile (the call commits half a second
        # after the move began to wait for the ticket's row)
        def move() -> Ticket:
            claimed.wait(10)
            threading.Timer(0.5, go_on.set).start()
            return actions.change_service(ticket, hall.ruc, by=hall.olga, now=OPEN)

        results = in_threads(
            lambda: actions.call_next(hall.counter, by=hall.advisor, now=OPEN), move
        )

        # then: the call wins; the move waited for it and was refused
        called, refusal = results
        assert isinstance(called, Ticket) and called.pk == ticket.pk
        assert_called_not_moved(hall, ticket, refusal)

    def test_a_move_that_holds_the_ticket_makes_the_call_pass_it_by(
        self, hall: Hall, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # given: the desk has locked the ticket to move it, not committed yet
        ticket = actions.issue_ticket(hall.center, hall.dni, now=OPEN)
        locked, go_on = threading.Event(), threading.Event()
        check = waiting.check_staffed

        def slow_check(*args: Any, **kwargs: Any) -> None:
            locked.set()
            go_on.wait(10)
            check(*args, **kwargs)

        monkeypatch.setattr(waiting, "check_staffed", slow_check)

        # when: the counter calls meanwhile
        def call() -> Ticket | None:
            locked.wait(10)
            try:
                return actions.call_next(hall.counter, by=hall.advisor, now=OPEN)
            finally:
                go_on.set()

        moved, called = in_threads(
            lambda: actions.change_service(ticket, hall.ruc, by=hall.olga, now=OPEN), call
        )

        # then: the call did not wait for the row nor take it; the move went through
        assert called is None
        assert isinstance(moved, Ticket) and moved.pk == ticket.pk, moved
        assert_moved_not_called(hall, ticket)

    def test_a_call_that_chose_the_ticket_before_it_moved_does_not_take_it(
        self, hall: Hall, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # given: the counter has read the queue (the ticket is a DNI one) ...
        ticket = actions.issue_ticket(hall.center, hall.dni, now=OPEN)
        read, moved = threading.Event(), threading.Event()
        build = queries.build_snapshot

        def snapshot_then_wait(*args: Any, **kwargs: Any) -> Any:
            snapshot = build(*args, **kwargs)
            read.set()
            moved.wait(10)
            return snapshot

        monkeypatch.setattr(serving, "build_snapshot", snapshot_then_wait)

        # ... and the desk's move commits before the counter claims it
        def move() -> Ticket:
            read.wait(10)
            try:
                return actions.change_service(ticket, hall.ruc, by=hall.olga, now=OPEN)
            finally:
                moved.set()

        called, result = in_threads(
            lambda: actions.call_next(hall.counter, by=hall.advisor, now=OPEN), move
        )

        # then: the RENIEC counter does not call a ticket that now waits for the RUC
        assert isinstance(result, Ticket), result
        assert called is None
        assert_moved_not_called(hall, ticket)


def in_threads(*works: Callable[[], Any]) -> list[Any]:
    """Run each work in its own thread and connection; results or exceptions."""
    results: list[Any] = [None] * len(works)

    def run(i: int) -> None:
        from django.db import connection as thread_connection

        try:
            results[i] = works[i]()
        except Exception as exc:
            results[i] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
