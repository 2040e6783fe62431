"""One voice per reader: the kiosk speaks to the citizen with "tú", the
orientation desk's staff keep their texts ("usted"). The forms both use
(the citizen's data, the appointment check-in) word their errors for each."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking
from mac.core.testing import PASSWORD
from mac.queueing.models import Ticket, Visit
from mac.screens.forms import CHECKIN_KEY_SALT, new_form_key
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
_no_pow = checkin._no_pow
HTMX = {"HX-Request": "true"}


def olga(world: World) -> Client:
    client = Client()
    client.login(username="olga", password=PASSWORD)
    return client


class TestVoiceKioskDesk:
    def test_the_kiosk_asks_the_citizen_for_the_number(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        data = kiosk_post(world, client, new_form_key(), document_type="dni")

        response = client.post(reverse("screens:kiosk_issue", args=["lima-norte"]), data)

        body = response.content.decode()
        assert "Ingresa el número de documento." in body
        assert "Ingrese" not in body
        assert "Lengua en la que deseas ser atendido" in body
        assert (Ticket.objects.count(), Visit.objects.count()) == (0, 0)

    def test_the_desk_keeps_the_staff_wording(self, world: World, frozen: None) -> None:
        data = {"servicio": [world.dni.pk], "document_type": "dni", "language": "es"}

        response = olga(world).post(
            reverse("screens:orientation_issue", args=["lima-norte"]), data, headers=HTMX
        )

        assert response.status_code == 200
        body = response.content.decode()
        assert "Número de documento: Ingrese el número de documento." in body
        assert "Ingresa" not in body
        assert (Ticket.objects.count(), Visit.objects.count()) == (0, 0)

    def test_the_kiosk_check_in_asks_the_citizen(self, world: World, frozen: None) -> None:
        booking = checkin.book(world)
        data = {"key": new_form_key(CHECKIN_KEY_SALT), "code": "", "document_type": "dni"}

        response = checkin.post(kiosk_client(world.center), data)

        assert response.status_code == 422
        body = response.content.decode()
        assert "Escribe el código de tu cita o acerca el código QR." in body
        assert "Ingresa el número de documento." in body
        booking.refresh_from_db()
        assert (booking.status, Ticket.objects.count()) == ("confirmed", 0)

    def test_the_desk_check_in_keeps_the_staff_wording(self, world: World, frozen: None) -> None:
        booking = checkin.book(world)

        response = olga(world).post(
            reverse("screens:orientation_checkin", args=["lima-norte"]),
            {"code": "", "document_type": "dni", "document_number": ""},
            headers=HTMX,
        )

        assert response.status_code == 422
        body = response.content.decode()
        assert "Escriba el código de su cita o acerque el código QR." in body
        assert "Ingrese el número de documento." in body
        assert Booking.objects.get(pk=booking.pk).status == "confirmed"
        assert not Ticket.objects.exists()
