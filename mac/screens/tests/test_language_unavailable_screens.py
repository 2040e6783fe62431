"""A ticket in a language no counter of the center has for the service, at
the kiosk and the orientation desk: the refusal is said at once, while the
citizen can still choose, and nothing is written. The kiosk offers to go on
in Spanish with the same choices and to ask at orientation (the citizen's
words); the desk says it in staff words and keeps the form, so that staff
switch the language and issue. The same for a check-in."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from mac.appointments.models import Booking
from mac.core.models import AuditLog, Event
from mac.core.testing import CITIZEN_DNI
from mac.queueing import cache
from mac.queueing.models import Ticket, TicketSequence, Visit
from mac.screens import printing
from mac.screens.forms import new_form_key
from mac.screens.models import KioskRequest
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
dummy_printer = setup.dummy_printer
_no_pow = checkin._no_pow

ISSUE = "/centros/lima-norte/kiosko/emitir/"
DESK = "/centros/lima-norte/orientacion/"
HTMX = {"HX-Request": "true"}

KIOSK_AYMARA = (
    "En este Centro MAC ningún módulo atiende «Duplicado del DNI» en aimara. Puedes continuar"
    " en castellano, o pedir ayuda en orientación."
)
DESK_QUECHUA = (
    "Ningún módulo de Centro MAC Lima Norte atiende «Duplicado del DNI» en quechua: el ticket"
    " esperaría sin que nadie lo llame. Emítalo en castellano o coordine un intérprete."
)


def written() -> tuple:
    return (
        Visit.objects.count(),
        Ticket.objects.count(),
        TicketSequence.objects.count(),
        KioskRequest.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
    )


def hidden_fields(html: str, form_id: str = "en-castellano") -> dict[str, str]:
    """The hidden fields of the form whose button has `form_id`."""
    form = re.search(r"<form[^>]*>(?:(?!</form>).)*id=\"" + form_id + '"', html, re.S)
    assert form is not None, html
    return dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form[0]))


class TestKioskLanguageUnavailable:
    def test_it_refuses_and_offers_to_go_on_in_spanish(self, world: World, frozen: None) -> None:
        # given: a citizen asks for a DNI duplicate in Aymara; nobody here speaks it
        client = kiosk_client(world.center)
        data = kiosk_post(
            world,
            client,
            new_form_key(),
            document_type="dni",
            document_number=CITIZEN_DNI,
            priority_reason="older_adult",
            language="ay",
        )
        before = written()

        # when
        response = client.post(ISSUE, data)

        # then: said at once, nothing written, the same choices in Spanish on
        # offer by a token (the choices wait on the server, not in the page)
        assert response.status_code == 409
        html = response.content.decode()
        assert escape(KIOSK_AYMARA) in html
        assert written() == before
        retry = hidden_fields(html)
        assert set(retry) == {"csrfmiddlewaretoken", "retry"}
        assert CITIZEN_DNI not in html
        assert "older_adult" not in html
        assert 'href="/centros/lima-norte/kiosko/reiniciar/">Volver al inicio</a>' in html

        # and going on in Spanish issues the ticket with every choice kept
        issued = client.post(ISSUE, retry)
        assert issued.status_code == 200
        ticket = Ticket.objects.get()
        assert (ticket.code, ticket.language, ticket.source) == ("R-001", "es", "kiosk")
        assert (ticket.visit.document_number, ticket.visit.priority_reason) == (
            CITIZEN_DNI,
            "older_adult",
        )

    def test_it_speaks_quechua_on_a_quechua_kiosk(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        client.cookies["django_language"] = "qu"
        data = kiosk_post(world, client, new_form_key(), language="qu")

        response = client.post(ISSUE, data)

        assert response.status_code == 409
        html = response.content.decode()
        assert (
            'Kay Centro MAC-pi manam mayqin módulopas «<span lang="es">Duplicado del DNI</span>»'
            " trámiteta runasimipi atiendenchu."
        ) in html
        assert ">Kastilla simipi qatiy</button>" in html
        assert Ticket.objects.count() == 0

    def test_other_refusals_offer_no_spanish(self, world: World, frozen: None) -> None:
        # a closed center refuses whatever the language: going on in Spanish would not help
        client = kiosk_client(world.center)
        world.center.hours.all().delete()
        cache.clear()

        response = client.post(ISSUE, kiosk_post(world, client, new_form_key(), language="ay"))

        assert response.status_code == 409
        assert 'id="en-castellano"' not in response.content.decode()


class TestKioskCheckinLanguageUnavailable:
    def test_it_refuses_the_check_in_and_offers_it_in_spanish(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        # given: a booking to be attended in Quechua (made while a counter spoke it); none does now
        booking = checkin.book(world)
        Booking.objects.filter(pk=booking.pk).update(attention_language="qu")
        client = kiosk_client(world.center)
        data = checkin.checkin_data(booking)
        before = written()

        # when
        response = checkin.post(client, data)

        # then: the booking stays as it was; neither the screen nor the page
        # holds the code or the number (the Spanish retry carries a token)
        assert response.status_code == 409
        html = response.content.decode()
        assert escape(KIOSK_AYMARA.replace("aimara", "quechua")) in html
        assert written() == before
        booking.refresh_from_db()
        assert (booking.status, booking.ticket_id) == ("confirmed", None)
        retry = hidden_fields(html)
        assert set(retry) == {"csrfmiddlewaretoken", "retry"}
        assert booking.code not in html
        assert booking.document_number not in html

        # and in Spanish it is checked in, the kiosk's screen in its language
        checked = checkin.post(client, retry)
        assert checked.status_code == 200
        booking.refresh_from_db()
        assert booking.status == "checked_in"
        assert booking.ticket is not None and booking.ticket.language == "es"
        assert '<html lang="es">' in checked.content.decode()
        assert b"Tu turno" in printing.dummy_outputs[0]


class TestDeskLanguageUnavailable:
    def desk(self, world: World) -> Client:
        client = Client()
        client.force_login(world.olga)
        return client

    def test_it_says_so_in_the_alert_and_keeps_the_form(self, world: World, frozen: None) -> None:
        # given
        client = self.desk(world)
        data = {
            "servicio": [world.dni.pk],
            "document_type": "dni",
            "document_number": CITIZEN_DNI,
            "priority_reason": "pregnant",
            "language": "qu",
        }
        before = written()

        # when: with htmx, and as a plain post
        partial = client.post(
            reverse("screens:orientation_issue", args=["lima-norte"]), data, headers=HTMX
        )
        page = client.post(reverse("screens:orientation_issue", args=["lima-norte"]), data)

        # then: the staff's words in the alert; nothing written
        assert partial.status_code == page.status_code == 409
        assert (
            f'<p class="kiosk-alert kiosk-alert--error" role="alert">{escape(DESK_QUECHUA)}</p>'
            in (partial.content.decode())
        )
        assert written() == before
        # the page keeps what was typed and chosen, to switch the language and issue
        html = page.content.decode()
        assert escape(DESK_QUECHUA) in html
        assert f'value="{CITIZEN_DNI}"' in html
        assert '<option value="qu" selected>' in html
        assert '<option value="pregnant" selected>' in html
        assert f'name="servicio" value="{world.dni.pk}"' in html
        data["language"] = "es"
        issued = client.post(
            reverse("screens:orientation_issue", args=["lima-norte"]), data, headers=HTMX
        )
        assert issued.status_code == 200
        assert Ticket.objects.get().language == "es"

    def test_the_check_in_keeps_the_form_and_registers_in_spanish(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        booking = checkin.book(world)
        Booking.objects.filter(pk=booking.pk).update(attention_language="qu")
        client = self.desk(world)
        url = reverse("screens:orientation_checkin", args=["lima-norte"])
        data = {
            "code": booking.code,
            "document_type": "dni",
            "document_number": booking.document_number,
        }
        before = written()

        refused = client.post(url, data, headers=HTMX)

        assert refused.status_code == 409
        html = refused.content.decode()
        assert escape(DESK_QUECHUA) in html
        assert written() == before
        assert f'value="{booking.code}"' in html
        assert '<label class="label" for="checkin-language">Lengua de atención</label>' in html
        assert '<option value="">La de la reserva</option>' in html

        checked = client.post(url, {**data, "language": "es"}, headers=HTMX)

        assert checked.status_code == 200
        booking.refresh_from_db()
        assert booking.status == "checked_in"
        assert booking.ticket is not None and booking.ticket.language == "es"
