"""A kiosk refusal in Quechua names a service or a center in Spanish: the
name is marked lang="es" (WCAG 2.1 SC 3.1.2, language of parts), so that a
screen reader reads it with Spanish rules. In Spanish the refusal has no such
mark; the name is escaped once in both."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client
from django.urls import reverse

from mac.accounts.apikeys import create_key
from mac.catalog.models import Service
from mac.queueing.models import Ticket, Visit
from mac.queueing.testing import LIMA
from mac.screens.forms import new_form_key
from mac.screens.models import KioskRequest
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
_no_pow = checkin._no_pow

ALERT = '<p class="kiosk-alert kiosk-alert--error" role="alert">{}</p>'
NAME = "Duplicado <DNI> & copia"
NIGHT = dt.datetime(2026, 12, 1, 21, 0, tzinfo=LIMA)  # the centers close at 18:30


def in_quechua(client: Client) -> Client:
    client.cookies["django_language"] = "qu"
    return client


def requires_appointment(service: Service, name: str = NAME) -> None:
    Service.objects.filter(pk=service.pk).update(requires_appointment=True, plain_name=name)


def details(client: Client, world: World) -> str:
    response = client.get(
        reverse("screens:kiosk_details", args=["lima-norte"]), {"servicio": world.dni.pk}
    )
    assert response.status_code == 409
    return response.content.decode()


class TestKioskRefusalLanguage:
    def test_in_quechua_the_services_name_is_marked_spanish(
        self, world: World, frozen: None, settings: object
    ) -> None:
        # given
        settings.SITE_URL = "http://127.0.0.1:8000"  # type: ignore[attr-defined]
        requires_appointment(world.dni)
        client = in_quechua(kiosk_client(world.center))

        # when
        body = details(client, world)

        # then
        assert '<html lang="qu">' in body
        assert (
            ALERT.format(
                '«<span lang="es">Duplicado &lt;DNI&gt; &amp; copia</span>» ñawpaqmanta citayuq'
                " kanan: kioskoqa kay trámitepaqqa manam mana citayuqkunaman ticketta qunchu,"
                " kay Centro MAC-pas manam chaypaq citata qunchu. Orientaciónman asuykuy, utaq"
                " 127.0.0.1:8000/citas/ nisqapi chay trámiteta quq Centro MAC-pi citata apartay."
            )
            in body
        )
        assert not Visit.objects.exists()

    def test_in_spanish_the_name_has_no_mark(
        self, world: World, frozen: None, settings: object
    ) -> None:
        settings.SITE_URL = "http://127.0.0.1:8000"  # type: ignore[attr-defined]
        requires_appointment(world.dni)
        client = kiosk_client(world.center)

        body = details(client, world)

        assert '<html lang="es">' in body
        assert (
            ALERT.format(
                "«Duplicado &lt;DNI&gt; &amp; copia» requiere cita previa: el kiosko no da tickets"
                " sin cita para este trámite, y este Centro MAC no da citas para él. Consulta en"
                " orientación, o reserva tu cita en un Centro MAC que lo ofrezca en"
                " 127.0.0.1:8000/citas/."
            )
            in body
        )
        assert body.count('lang="es"') == 2  # <html> and the language switch's "Castellano"
        assert not Visit.objects.exists()

    def test_in_quechua_a_closed_centers_name_is_marked_spanish(self, world: World) -> None:
        client = in_quechua(kiosk_client(world.center))

        with time_machine.travel(NIGHT, tick=False):
            data = kiosk_post(world, client, new_form_key())
            response = client.post(reverse("screens:kiosk_issue", args=["lima-norte"]), data)

        assert response.status_code == 409
        assert ALERT.format(
            'Kunanqa <span lang="es">Centro MAC Lima Norte</span> wisq&#x27;asqam kachkan.'
        ) in (response.content.decode())
        assert (Ticket.objects.count(), KioskRequest.objects.count()) == (0, 0)

    def test_in_quechua_the_center_of_a_booking_elsewhere_is_marked_spanish(
        self, world: World, frozen: None
    ) -> None:
        booking = checkin.book(world, center="arequipa")
        client = in_quechua(kiosk_client(world.center))

        response = checkin.post(client, checkin.checkin_data(booking))

        assert response.status_code == 409
        assert (
            '<p class="kiosk-alert kiosk-alert--error kiosk-alert--big" role="alert">Citaykiqa'
            ' <span lang="es">Centro MAC Arequipa</span>-pim, manam kay centropichu.</p>'
        ) in response.content.decode()
        booking.refresh_from_db()
        assert booking.status == "confirmed"
        assert not Ticket.objects.exists()

    def test_the_api_says_it_in_plain_text(
        self, world: World, frozen: None, settings: object
    ) -> None:
        # given a kiosk's API key, asking in Quechua
        settings.SITE_URL = "http://127.0.0.1:8000"  # type: ignore[attr-defined]
        requires_appointment(world.dni)
        _, key = create_key(world.bob, "Kiosko", source="kiosk")

        # when
        response = Client().post(
            f"/api/v1/queue/centers/{world.center.pk}/tickets",
            {"service": world.dni.pk},
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}", "Accept-Language": "qu"},
        )

        # then: the JSON carries the text, without markup
        assert response.status_code == 409
        assert response.json() == {
            "detail": "«Duplicado <DNI> & copia» ñawpaqmanta citayuq kanan: kioskoqa kay"
            " trámitepaqqa manam mana citayuqkunaman ticketta qunchu, kay Centro MAC-pas manam"
            " chaypaq citata qunchu. Orientaciónman asuykuy, utaq 127.0.0.1:8000/citas/ nisqapi"
            " chay trámiteta quq Centro MAC-pi citata apartay.",
            "code": "appointment_required",
        }
        assert (Ticket.objects.count(), Visit.objects.count()) == (0, 0)
