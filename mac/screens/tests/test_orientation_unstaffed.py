"""The orientation desk's search marks a service the center offers but no
active counter serves, "sin módulo asignado", so staff know before they add
it; issuing it is refused in staff words and the form is kept."""

from __future__ import annotations

from django.urls import reverse

from mac.queueing.models import Ticket
from mac.queueing.testing import queue_service
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World
from mac.screens.tests.test_orientation_visit import HTMX, olga

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world

MARK = "sin módulo asignado"


class TestOrientationUnstaffed:
    def test_it_marks_a_service_no_counter_serves(self, world: World, frozen: None) -> None:
        rectificacion = queue_service(world.reniec, "Rectificación de datos del DNI", world.center)
        url = reverse("screens:orientation_search", args=["lima-norte"])

        body = olga(world).get(url, {"q": "dni"}, headers=HTMX).content.decode()

        rows = body.split('<li class="desk-result">')[1:]
        marked = {row.split("</p>")[0].split(">")[-1]: MARK in row for row in rows}
        assert marked == {"Duplicado del DNI": False, rectificacion.plain_name: True}

    def test_issuing_it_is_refused_in_staff_words(self, world: World, frozen: None) -> None:
        rectificacion = queue_service(world.reniec, "Rectificación de datos del DNI", world.center)
        url = reverse("screens:orientation_issue", args=["lima-norte"])
        data = {
            "servicio": [str(world.dni.pk), str(rectificacion.pk)],
            "document_type": "",
            "document_number": "",
            "priority_reason": "",
            "language": "es",
        }

        response = olga(world).post(url, data, headers=HTMX)

        body = response.content.decode()
        assert response.status_code == 409
        assert (
            "Ningún módulo habilitado de Centro MAC Lima Norte tiene «Rectificación de datos del"
            " DNI» entre sus servicios"
        ) in body
        assert Ticket.objects.count() == 0
