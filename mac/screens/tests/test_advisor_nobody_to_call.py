"""Calling with nobody to call says why when people do wait for the counter's
services: the desk lists them as waiting, and "nobody waits" contradicted it.
Either a free counter with fewer services takes them (the policy leaves them
to it for a while) or they need a language the counter does not have."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mac.queueing import actions, cache
from mac.queueing.models import CenterQueue, Ticket
from mac.queueing.testing import make_advisor

from .test_live_state_stream import Screen, make_screen

URL = "/centros/lima-norte/modulo/llamar/"
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def screen(db: None) -> Screen:
    made = make_screen()
    # The platform's policy (the tests' centers call first come, first served).
    CenterQueue.objects.filter(center=made.center).update(policy="mac")
    cache.clear()
    return made


def call(client: Client, screen: Screen) -> str:
    client.force_login(screen.bob)
    response = client.post(URL, **HX)
    assert response.status_code == 200
    return response.content.decode()


class TestNobodyToCall:
    def test_it_says_a_free_counter_with_fewer_services_takes_them(
        self, client: Client, screen: Screen
    ) -> None:
        # given a colleague free at the spare counter (DNI only), and bob (DNI and acta)
        actions.sign_in(screen.spare, by=make_advisor(screen.center, screen.reniec, "rita"))
        screen.sign_in_bob()
        ticket = screen.issue()

        # when bob calls
        text = call(client, screen)

        # then he is told why, and the ticket still waits
        assert "No hay nadie en espera para los servicios de su módulo." not in text
        assert (
            "Quienes esperan para sus servicios quedan por ahora para el Módulo 2, que está "
            "libre. Vuelva a llamar en un momento."
        ) in text
        ticket.refresh_from_db()
        assert (ticket.state, ticket.counter_id) == (Ticket.State.WAITING, None)

    def test_it_says_they_need_a_language_the_counter_does_not_have(
        self, client: Client, screen: Screen
    ) -> None:
        # the spare DNI counter speaks Quechua (nobody is signed in there now); bob's does not
        screen.spare.languages = ["es", "qu"]
        screen.spare.save(update_fields=["languages"])
        screen.sign_in_bob()
        ticket = screen.issue(language="qu")

        text = call(client, screen)

        assert (
            "Quienes esperan para sus servicios necesitan una lengua que su módulo no "
            "atiende: Quechua."
        ) in text
        ticket.refresh_from_db()
        assert ticket.state == Ticket.State.WAITING

    def test_it_still_says_nobody_waits_when_nobody_does(
        self, client: Client, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        screen.issue(screen.ruc)  # SUNAT's, not for bob's counter

        text = call(client, screen)

        assert "No hay nadie en espera para los servicios de su módulo." in text
