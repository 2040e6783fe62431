"""The kiosk is public: after a refusal for a language no counter has,
"Continuar en castellano" carries a token, not the citizen's choices (a
booking's code and document number, a document, a priority reason). The
choices wait in the kiosk's session; the token works for RETRY_SECONDS, in
that browser only, until the kiosk goes back to the start, which that page
does after REFUSED_SECONDS without a touch. A token that no longer works
says the form expired and changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from mac.appointments.models import Booking
from mac.core.testing import CITIZEN_DNI
from mac.queueing.testing import OPEN
from mac.screens.forms import new_form_key
from mac.screens.kiosk import RETRY_SECONDS, RETRY_SESSION_KEY
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post
from mac.screens.tests.test_language_unavailable_screens import hidden_fields, written

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
dummy_printer = setup.dummy_printer
_no_pow = checkin._no_pow

ISSUE = "/centros/lima-norte/kiosko/emitir/"
CHECKIN = "/centros/lima-norte/kiosko/cita/registrar/"
CHECKIN_EXPIRED = "El formulario caducó. Vuelve a escribir el código de tu cita."
ISSUE_EXPIRED = "El formulario caducó. Vuelve a elegir el servicio."


def refused_check_in(world: World, client: Client) -> tuple[Booking, Any]:
    """A check-in of a booking to be attended in Quechua, which no counter
    here speaks (any more)."""
    booking = checkin.book(world)
    Booking.objects.filter(pk=booking.pk).update(attention_language="qu")
    response = checkin.post(client, checkin.checkin_data(booking))
    assert response.status_code == 409
    return booking, response


def refused_walk_in(world: World, client: Client) -> Any:
    """A DNI ticket asked in Aymara, with a document and priority attention."""
    data = kiosk_post(
        world,
        client,
        new_form_key(),
        document_type="dni",
        document_number=CITIZEN_DNI,
        priority_reason="disability",
        language="ay",
    )
    response = client.post(ISSUE, data)
    assert response.status_code == 409
    return response


def retry_of(response: Any) -> dict[str, str]:
    return hidden_fields(response.content.decode())


def idle_seconds(response: Any) -> int:
    found = re.search(r'data-idle-seconds="(\d+)"', response.content.decode())
    assert found is not None
    return int(found[1])


def later(seconds: int) -> Any:
    return time_machine.travel(OPEN + dt.timedelta(seconds=seconds), tick=False)


class TestCheckinInSpanishToken:
    def test_it_checks_in_in_spanish_up_to_a_minute_later(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        client = kiosk_client(world.center)
        booking, refused = refused_check_in(world, client)

        with later(RETRY_SECONDS):
            response = checkin.post(client, retry_of(refused))

        assert response.status_code == 200
        booking.refresh_from_db()
        assert booking.ticket is not None
        assert (booking.status, booking.ticket.language) == ("checked_in", "es")

    def test_a_later_tap_checks_in_nothing(self, world: World, frozen: None) -> None:
        # given
        client = kiosk_client(world.center)
        booking, refused = refused_check_in(world, client)
        before = written()

        # when: the button is tapped a second too late
        with later(RETRY_SECONDS + 1):
            response = checkin.post(client, retry_of(refused))

        # then: the form expired; the booking and the session are left clean
        assert response.status_code == 422
        html = response.content.decode()
        assert escape(CHECKIN_EXPIRED) in html
        assert booking.code not in html
        booking.refresh_from_db()
        assert (booking.status, booking.ticket_id) == ("confirmed", None)
        assert written() == before
        assert RETRY_SESSION_KEY not in client.session

    @pytest.mark.parametrize("page", ["kiosk_restart", "kiosk"])
    def test_the_kiosk_going_back_to_the_start_forgets_it(
        self, world: World, frozen: None, page: str
    ) -> None:
        client = kiosk_client(world.center)
        booking, refused = refused_check_in(world, client)
        assert client.session[RETRY_SESSION_KEY]["choices"]["code"] == booking.code
        before = written()

        client.get(reverse(f"screens:{page}", args=["lima-norte"]))
        response = checkin.post(client, retry_of(refused))

        assert RETRY_SESSION_KEY not in client.session
        assert response.status_code == 422
        assert escape(CHECKIN_EXPIRED) in response.content.decode()
        booking.refresh_from_db()
        assert (booking.status, booking.ticket_id) == ("confirmed", None)
        assert written() == before

    def test_another_browser_cannot_use_it(self, world: World, frozen: None) -> None:
        booking, refused = refused_check_in(world, kiosk_client(world.center))
        before = written()

        response = checkin.post(kiosk_client(world.center), retry_of(refused))

        assert response.status_code == 422
        booking.refresh_from_db()
        assert (booking.status, booking.ticket_id) == ("confirmed", None)
        assert written() == before

    def test_a_forged_token_checks_in_nothing(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        booking, refused = refused_check_in(world, client)
        before = written()

        response = checkin.post(client, {**retry_of(refused), "retry": "x" * 22})

        assert response.status_code == 422
        booking.refresh_from_db()
        assert (booking.status, booking.ticket_id) == ("confirmed", None)
        assert written() == before

    def test_a_double_tap_answers_with_the_same_ticket(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        client = kiosk_client(world.center)
        booking, refused = refused_check_in(world, client)

        first = checkin.post(client, retry_of(refused))
        second = checkin.post(client, retry_of(refused))

        assert (first.status_code, second.status_code) == (200, 200)
        booking.refresh_from_db()
        assert booking.ticket is not None
        code = f'data-ticket="{booking.ticket.code}"'
        assert code in first.content.decode() and code in second.content.decode()
        assert Booking.objects.filter(ticket__isnull=False).count() == 1

    def test_the_refusal_goes_back_to_the_start_after_20_seconds(
        self, world: World, frozen: None
    ) -> None:
        _booking, refused = refused_check_in(world, kiosk_client(world.center))

        assert idle_seconds(refused) == 20


class TestWalkInInSpanishToken:
    def test_the_page_holds_neither_the_document_nor_the_priority(
        self, world: World, frozen: None
    ) -> None:
        client = kiosk_client(world.center)

        refused = refused_walk_in(world, client)

        html = refused.content.decode()
        assert set(retry_of(refused)) == {"csrfmiddlewaretoken", "retry"}
        assert CITIZEN_DNI not in html
        assert "disability" not in html
        assert idle_seconds(refused) == 20

    def test_a_late_tap_issues_nothing(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        refused = refused_walk_in(world, client)
        before = written()

        with later(RETRY_SECONDS + 1):
            response = client.post(ISSUE, retry_of(refused))

        assert response.status_code == 422
        assert escape(ISSUE_EXPIRED) in response.content.decode()
        assert written() == before

    def test_a_check_in_token_does_not_issue_a_walk_in_ticket(
        self, world: World, frozen: None
    ) -> None:
        client = kiosk_client(world.center)
        _booking, refused = refused_check_in(world, client)
        before = written()

        response = client.post(ISSUE, retry_of(refused))

        assert response.status_code == 422
        assert written() == before
