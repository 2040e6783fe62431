"""The portal's service and center pages link to booking when a center
gives appointments for the service."""

from __future__ import annotations

from django.test import Client

from mac.appointments.tests import pages
from mac.appointments.tests.pages import Citas

morning = pages.morning
citas = pages.citas


class TestPortalLinks:
    def test_it_links_a_service_with_an_agenda_to_booking(
        self, client: Client, citas: Citas
    ) -> None:
        with_agenda = client.get(citas.service.get_absolute_url()).content.decode()
        without = client.get(citas.walk_in.get_absolute_url()).content.decode()

        assert f'<a href="/citas/?servicio={citas.service.pk}">Reservar cita</a>' in with_agenda
        assert "Reservar cita" not in without

    def test_it_links_the_centers_services_with_an_agenda_to_booking(
        self, client: Client, citas: Citas
    ) -> None:
        body = client.get(citas.center.get_absolute_url()).content.decode()

        assert f'href="/citas/?servicio={citas.service.pk}&amp;centro=lima-norte"' in body
        assert f"servicio={citas.walk_in.pk}&amp;centro" not in body

    def test_it_stops_linking_when_the_agenda_is_closed(self, client: Client, citas: Citas) -> None:
        citas.agenda.active = False
        citas.agenda.save()

        body = client.get(citas.center.get_absolute_url()).content.decode()
        service = client.get(citas.service.get_absolute_url()).content.decode()

        assert "Reservar cita" not in body
        assert f"/citas/?servicio={citas.service.pk}" in service  # Arequipa still books it
