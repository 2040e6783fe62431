"""The orientation desk reprints a ticket only while it is open (waiting,
called, being served): a finished ticket on paper would send the citizen to
wait for a call that never comes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from mac.queueing import actions
from mac.queueing.models import Counter, Ticket
from mac.screens import printing
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
dummy_printer = setup.dummy_printer
frozen = setup.frozen
world = setup.world


def reprint(world: World, code: str) -> tuple[int, str]:
    client = Client()
    client.force_login(world.olga)
    response = client.post(
        reverse("screens:orientation_reprint", args=["lima-norte"]),
        {"code": code},
        HTTP_HX_REQUEST="true",
    )
    return response.status_code, response.content.decode()


def called(world: World) -> Ticket:
    ticket = actions.issue_ticket(world.center, world.dni)
    counter = Counter.objects.get(center=world.center, number=1)
    actions.call_next(counter, by=world.bob)
    ticket.refresh_from_db()
    return ticket


def cancelled(world: World) -> Ticket:
    return actions.cancel(actions.issue_ticket(world.center, world.dni))


def done(world: World) -> Ticket:
    ticket = actions.start(called(world), by=world.bob)
    actions.finish(ticket, by=world.bob, outcome="resolved")
    return ticket


def no_show(world: World) -> Ticket:
    return actions.no_show(called(world), by=world.bob)


class TestOrientationReprint:
    @pytest.mark.parametrize(
        ("make", "state"),
        [(cancelled, "anulado"), (done, "atendido"), (no_show, "no se presentó")],
        ids=["cancelled", "done", "no_show"],
    )
    def test_it_refuses_a_finished_ticket_and_prints_nothing(
        self,
        world: World,
        frozen: None,
        dummy_printer: None,
        make: Callable[[World], Ticket],
        state: str,
    ) -> None:
        # given
        ticket = make(world)
        printing.dummy_outputs.clear()

        # when
        status, body = reprint(world, ticket.code)

        # then
        assert status == 409
        assert (
            f"El ticket {ticket.code} ya no está en espera ni en atención ({state}): "
            "no se reimprime."
        ) in body
        assert "reimpreso" not in body
        assert len(printing.dummy_outputs) == 0

    def test_it_points_a_transferred_ticket_to_its_new_one(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        ticket = called(world)
        new = actions.transfer(ticket, world.ruc, by=world.bob)
        printing.dummy_outputs.clear()

        status, body = reprint(world, ticket.code)

        assert status == 409
        assert f"El ticket {ticket.code} fue derivado: reimprima el ticket {new.code}." in body
        assert len(printing.dummy_outputs) == 0

    @pytest.mark.parametrize("state", ["waiting", "called"])
    def test_it_reprints_an_open_ticket(
        self, world: World, frozen: None, dummy_printer: None, state: str
    ) -> None:
        ticket = (
            called(world) if state == "called" else actions.issue_ticket(world.center, world.dni)
        )
        printing.dummy_outputs.clear()

        status, body = reprint(world, ticket.code)

        assert status == 200
        assert f"Ticket {ticket.code} reimpreso." in body
        assert len(printing.dummy_outputs) == 1
        assert ticket.code.encode() in printing.dummy_outputs[0]

    def test_it_says_a_code_is_missing_and_prints_nothing(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        actions.issue_ticket(world.center, world.dni)
        printing.dummy_outputs.clear()

        status, body = reprint(world, "  ")

        assert status == 422
        assert "Escriba el código del ticket." in body
        assert "reimpreso" not in body
        assert len(printing.dummy_outputs) == 0
