"""The advisor's "Derivar" and "Añadir trámite" lists show a service the
center offers but no active counter serves disabled and marked "sin módulo
asignado" (as the orientation desk does), since its ticket would be refused
(409 service_unstaffed); the services some counter serves stay choosable."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from mac.catalog.models import Service
from mac.queueing import actions, cache
from mac.queueing.models import Counter, Ticket
from mac.queueing.testing import queue_service

from .test_live_state_stream import Screen, make_screen

URL = "/centros/lima-norte/modulo/"
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def options(html: str, select_id: str) -> dict[str, bool]:
    """The options of one select: their text, and whether they can be chosen."""
    found = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S)
    assert found is not None, html
    rows = re.findall(r'<option value="(\d+)"( disabled)?>([^<]*)</option>', found[0])
    return {text: not disabled for _pk, disabled, text in rows}


def at_the_counter(client: Client, screen: Screen) -> Ticket:
    counter = screen.sign_in_bob()
    ticket = screen.issue()
    actions.call_next(counter, by=screen.bob)
    client.force_login(screen.bob)
    return ticket


@pytest.fixture
def rectificacion(screen: Screen) -> Service:
    """Offered at Lima Norte; no counter has it among its skills."""
    return queue_service(screen.reniec, "Rectificación de datos", screen.center)


class TestAdvisorUnstaffedServices:
    @pytest.mark.parametrize("select_id", ["derivar-servicio", "anadir-servicio"])
    def test_it_marks_and_disables_a_service_no_counter_serves(
        self, client: Client, screen: Screen, rectificacion: Service, select_id: str
    ) -> None:
        at_the_counter(client, screen)

        html = client.get(URL).content.decode()

        assert options(html, select_id) == {
            "Copia de acta de nacimiento": True,
            "Rectificación de datos (sin módulo asignado)": False,
            "Inscripción en el RUC": True,
        }

    def test_it_follows_a_counter_taken_out_of_service(
        self, client: Client, screen: Screen, rectificacion: Service
    ) -> None:
        at_the_counter(client, screen)
        Counter.objects.filter(pk=screen.sunat_counter.pk).update(active=False)
        cache.clear()

        html = client.get(URL, **HX).content.decode()  # the panel alone (htmx)

        for select_id in ("derivar-servicio", "anadir-servicio"):
            assert options(html, select_id) == {
                "Copia de acta de nacimiento": True,
                "Rectificación de datos (sin módulo asignado)": False,
                "Inscripción en el RUC (sin módulo asignado)": False,
            }

    def test_it_marks_it_in_quechua(
        self, client: Client, screen: Screen, rectificacion: Service
    ) -> None:
        at_the_counter(client, screen)
        client.cookies["django_language"] = "qu"

        html = client.get(URL).content.decode()

        rows = options(html, "derivar-servicio")
        assert rows["Rectificación de datos (mana churasqa móduloyuq)"] is False


class TestAdvisorServicesNotInTheCitizensLanguage:
    """A citizen attended in Quechua: a service whose counters do not speak
    it is listed, disabled, with the reason (the transfer or the new ticket
    would be refused with 409 language_unavailable)."""

    @pytest.mark.parametrize("select_id", ["derivar-servicio", "anadir-servicio"])
    def test_it_marks_and_disables_a_service_nobody_serves_in_quechua(
        self, client: Client, screen: Screen, rectificacion: Service, select_id: str
    ) -> None:
        Counter.objects.filter(pk=screen.counter.pk).update(languages=["es", "qu"])
        cache.clear()
        counter = screen.sign_in_bob()
        screen.issue(language="qu")
        actions.call_next(counter, by=screen.bob)
        client.force_login(screen.bob)

        html = client.get(URL).content.decode()

        assert options(html, select_id) == {
            "Copia de acta de nacimiento": True,
            "Rectificación de datos (sin módulo asignado)": False,
            "Inscripción en el RUC (nadie lo atiende en quechua)": False,
        }

    def test_a_spanish_ticket_may_go_to_every_staffed_service(
        self, client: Client, screen: Screen, rectificacion: Service
    ) -> None:
        at_the_counter(client, screen)

        html = client.get(URL).content.decode()

        assert options(html, "derivar-servicio")["Inscripción en el RUC"] is True
