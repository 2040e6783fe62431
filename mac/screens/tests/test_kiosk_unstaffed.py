"""The kiosk lists only what it can issue: a service offered at the center
that no active counter serves is left out (and an entity with none left), a
hint sends the citizen to orientation, and a page left open on it says why
before the citizen types anything; nothing is issued."""

from __future__ import annotations

from django.urls import reverse

from mac.core.models import Event
from mac.queueing.models import Ticket, Visit
from mac.queueing.testing import make_entity, queue_service
from mac.screens.forms import new_form_key
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world

HINT = "¿No encuentras tu trámite? Pregunta en orientación."
REFUSAL = (
    "Hoy nadie atiende «Rectificación de datos del DNI» en Centro MAC Lima Norte. Pregunta en"
    " orientación: te dirán dónde puedes hacer este trámite."
)


class TestKioskLeavesOutUnstaffedServices:
    def test_it_lists_only_services_a_counter_serves(self, world: World, frozen: None) -> None:
        queue_service(world.reniec, "Rectificación de datos del DNI", world.center)
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_services", args=["lima-norte"])

        body = client.get(url, {"entidad": "reniec"}).content.decode()

        assert "Duplicado del DNI" in body
        assert "Rectificación de datos del DNI" not in body
        assert HINT in body

    def test_it_gives_no_hint_when_every_service_is_listed(
        self, world: World, frozen: None
    ) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_services", args=["lima-norte"])
        body = client.get(url, {"entidad": "reniec"}).content.decode()
        assert "Duplicado del DNI" in body
        assert HINT not in body

    def test_it_leaves_out_an_entity_no_counter_serves(self, world: World, frozen: None) -> None:
        migraciones = make_entity("MIGRACIONES", name="Superintendencia Nacional de Migraciones")
        queue_service(migraciones, "Pasaporte electrónico", world.center)
        client = kiosk_client(world.center)

        body = client.get(reverse("screens:kiosk", args=["lima-norte"])).content.decode()
        services = client.get(
            reverse("screens:kiosk_services", args=["lima-norte"]), {"entidad": "migraciones"}
        )

        assert "RENIEC" in body and "SUNAT" in body
        assert "MIGRACIONES" not in body
        assert services.status_code == 404

    def test_a_page_left_open_says_why_before_the_form(self, world: World, frozen: None) -> None:
        rectificacion = queue_service(world.reniec, "Rectificación de datos del DNI", world.center)
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_details", args=["lima-norte"])

        response = client.get(url, {"servicio": rectificacion.pk})

        body = response.content.decode()
        assert response.status_code == 409
        assert REFUSAL in body
        assert 'name="document_number"' not in body
        assert "Continuar en castellano" not in body

    def test_issuing_it_is_refused_and_writes_nothing(self, world: World, frozen: None) -> None:
        rectificacion = queue_service(world.reniec, "Rectificación de datos del DNI", world.center)
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        before = (Visit.objects.count(), Ticket.objects.count(), Event.objects.count())

        data = kiosk_post(
            world, client, new_form_key(), servicio=str(rectificacion.pk), language="qu"
        )
        response = client.post(url, data)

        assert response.status_code == 409
        assert REFUSAL in response.content.decode()
        assert (Visit.objects.count(), Ticket.objects.count(), Event.objects.count()) == before
