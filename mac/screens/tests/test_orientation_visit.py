from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from mac.core.testing import CITIZEN_DNI
from mac.queueing import actions
from mac.queueing.models import Ticket, Visit
from mac.queueing.testing import LIMA
from mac.screens import printing
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
dummy_printer = setup.dummy_printer
frozen = setup.frozen
world = setup.world
HTMX = {"HX-Request": "true"}


def olga(world: World) -> Client:
    client = Client()
    client.force_login(world.olga)
    return client


class TestOrientationVisit:
    def test_it_puts_several_services_on_one_visit(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        url = reverse("screens:orientation_issue", args=["lima-norte"])
        data = {
            "servicio": [world.dni.pk, world.ruc.pk],
            "document_type": "dni",
            "document_number": CITIZEN_DNI,
            "priority_reason": "pregnant",
            "language": "es",
        }
        response = olga(world).post(url, data, headers=HTMX)
        assert response.status_code == 200
        visit = Visit.objects.get()
        codes = list(visit.tickets.order_by("id").values_list("code", "source", "priority"))
        assert codes == [("R-001", "desk", True), ("S-001", "desk", True)]
        assert visit.document_number == CITIZEN_DNI
        assert visit.created_by == world.olga
        body = response.content.decode()
        assert "R-001" in body and "S-001" in body
        assert len(printing.dummy_outputs) == 2

    def test_it_issues_nothing_when_a_service_is_of_another_center(
        self, world: World, frozen: None
    ) -> None:
        url = reverse("screens:orientation_issue", args=["lima-norte"])
        data = {"servicio": [world.elsewhere.pk], "language": "es"}
        response = olga(world).post(url, data, headers=HTMX)
        assert response.status_code == 422
        assert Ticket.objects.count() == 0

    def test_it_ignores_crafted_service_ids(self, world: World, frozen: None) -> None:
        pick = reverse("screens:orientation_pick", args=["lima-norte"])
        issue = reverse("screens:orientation_issue", args=["lima-norte"])
        for crafted in ("²", "9" * 5000, "9" * 19):
            picked = olga(world).get(pick, {"servicio": crafted}, headers=HTMX)
            data = {
                "servicio": [crafted],
                "document_type": "dni",
                "document_number": CITIZEN_DNI,
                "language": "es",
            }
            issued = olga(world).post(issue, data, headers=HTMX)

            assert (picked.status_code, issued.status_code) == (404, 422), crafted
            assert "Elija al menos un servicio que se ofrezca en este centro." in (
                issued.content.decode()
            )
        assert (Ticket.objects.count(), Visit.objects.count()) == (0, 0)

    def test_it_issues_nothing_for_a_bad_document(self, world: World, frozen: None) -> None:
        url = reverse("screens:orientation_issue", args=["lima-norte"])
        data = {
            "servicio": [world.dni.pk],
            "document_type": "dni",
            "document_number": "123",
            "language": "es",
        }
        response = olga(world).post(url, data, headers=HTMX)
        assert "El DNI tiene 8 dígitos." in response.content.decode()
        assert Ticket.objects.count() == 0

    def test_it_checks_in_an_appointment(self, world: World, frozen: None) -> None:
        url = reverse("screens:orientation_issue", args=["lima-norte"])
        data = {"servicio": [world.dni.pk], "language": "es", "appointment_time": "10:15"}
        olga(world).post(url, data, headers=HTMX)
        ticket = Ticket.objects.get()
        assert ticket.source == "appointment"
        assert ticket.appointment_at == dt.datetime(2026, 12, 1, 10, 15, tzinfo=LIMA)
        assert ticket.target_wait_seconds == 5 * 60

    def test_it_finds_services_by_the_citizens_words(self, world: World, frozen: None) -> None:
        url = reverse("screens:orientation_search", args=["lima-norte"])
        response = olga(world).get(url, {"q": "duplicado dni"}, headers=HTMX)
        body = response.content.decode()
        assert "Duplicado del DNI" in body
        assert "Cambio de domicilio fiscal" not in body

    def test_it_adds_a_picked_service_as_a_hidden_field(self, world: World, frozen: None) -> None:
        url = reverse("screens:orientation_pick", args=["lima-norte"])
        body = olga(world).get(url, {"servicio": world.ruc.pk}, headers=HTMX).content.decode()
        assert f'name="servicio" value="{world.ruc.pk}"' in body
        other = olga(world).get(url, {"servicio": world.elsewhere.pk}, headers=HTMX)
        assert other.status_code == 404

    def test_it_reprints_a_ticket_by_code(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        ticket = actions.issue_ticket(world.center, world.dni)
        url = reverse("screens:orientation_reprint", args=["lima-norte"])
        response = olga(world).post(url, {"code": " r-001 "}, headers=HTMX)
        assert response.status_code == 200
        assert "Ticket R-001 reimpreso." in response.content.decode()
        assert ticket.code.encode() in printing.dummy_outputs[-1]

    def test_it_says_when_no_ticket_has_that_code(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        url = reverse("screens:orientation_reprint", args=["lima-norte"])
        response = olga(world).post(url, {"code": "R-999"}, headers=HTMX)
        assert response.status_code == 404
        assert "No hay un ticket de hoy con ese código" in response.content.decode()
        assert len(printing.dummy_outputs) == 0


class TestOrientationWithoutHtmx:
    def test_it_issues_and_reprints_as_plain_posts(
        self, world: World, frozen: None, dummy_printer: None
    ) -> None:
        data = {
            "servicio": [world.dni.pk],
            "document_type": "",
            "document_number": "",
            "priority_reason": "",
            "language": "es",
        }

        issued = olga(world).post(reverse("screens:orientation_issue", args=["lima-norte"]), data)
        reprinted = olga(world).post(
            reverse("screens:orientation_reprint", args=["lima-norte"]), {"code": "R-001"}
        )

        assert (issued.status_code, reprinted.status_code) == (200, 200)
        assert "<html" in issued.content.decode()
        assert Ticket.objects.get().code == "R-001"
        assert len(printing.dummy_outputs) == 2
