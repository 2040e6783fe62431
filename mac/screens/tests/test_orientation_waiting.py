"""The orientation desk's "Anular o cambiar de trámite" panel: find a ticket of
today by its code, cancel it (a reason, then a confirmation) or move it to
another service; htmx answers are the panel's fragment, refusals come with
their message and change nothing."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mac.accounts.models import Role, User
from mac.core.models import AuditLog
from mac.core.testing import make_user
from mac.queueing import actions
from mac.queueing.models import Counter, Ticket, TicketEvent
from mac.queueing.testing import make_counter, queue_service
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world

HTMX = {"HX-Request": "true"}


def desk(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, slug: str = "lima-norte") -> str:
    return reverse(f"screens:orientation_{name}", args=[slug])


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def unchanged() -> tuple[Any, ...]:
    """What a refusal leaves as it was: every ticket's state and service, and
    the history and audit rows."""
    return (
        list(Ticket.objects.order_by("pk").values_list("state", "service_id", "counter_id")),
        TicketEvent.objects.count(),
        AuditLog.objects.count(),
    )


def recent_oob(body: str) -> str:
    assert body.count('id="recientes" hx-swap-oob="true"') == 1
    return body.split('id="recientes" hx-swap-oob="true"')[1].split("</ul>")[0]


class TestLookup:
    def test_it_shows_a_waiting_ticket_with_what_may_be_done(
        self, world: World, frozen: None
    ) -> None:
        ticket = actions.issue_ticket(world.center, world.dni)

        response = desk(world.olga).get(url("waiting"), {"codigo": " r-001 "}, headers=HTMX)

        body = text(response)
        assert response.status_code == 200
        assert "<html" not in body
        assert 'id="waiting-ticket" tabindex="-1">R-001</h3>' in body
        assert "RENIEC · Duplicado del DNI" in body
        assert "En espera desde las 10:00 (1 min)" in body
        assert f'<option value="{world.ruc.pk}">Inscripción en el RUC</option>' in body
        assert f'<option value="{world.dni.pk}"' not in body  # not its own service
        assert '<option value="left">El ciudadano se retiró</option>' in body
        assert f'<input type="hidden" name="ticket" value="{ticket.pk}">' in body

    def test_the_plain_page_shows_it_too(self, world: World, frozen: None) -> None:
        actions.issue_ticket(world.center, world.dni)

        response = desk(world.olga).get(url("waiting"), {"codigo": "R-001"})

        body = text(response)
        assert response.status_code == 200
        assert "Buscar el trámite" in body and "Cambiar a otro trámite" in body

    def test_it_says_when_a_ticket_no_longer_waits(self, world: World, frozen: None) -> None:
        actions.issue_ticket(world.center, world.dni)
        actions.call_next(Counter.objects.get(center=world.center, number=1), by=world.bob)

        response = desk(world.olga).get(url("waiting"), {"codigo": "R-001"}, headers=HTMX)

        body = text(response)
        assert response.status_code == 200
        assert (
            '<p class="kiosk-alert kiosk-alert--error" role="alert">El ticket R-001 ya no está en'
            " espera: lo llamó el Módulo 1. No se puede anular ni cambiar de trámite.</p>"
        ) in body
        assert "waiting-service" not in body and "waiting-reason" not in body

    @pytest.mark.parametrize(
        ("code", "status", "message"),
        [
            ("", 422, "Escriba el código del ticket."),
            ("R-002", 404, "No hay un ticket de hoy con ese código en este centro."),
            ("D-001", 404, "No hay un ticket de hoy con ese código en este centro."),
        ],
    )
    def test_it_finds_only_todays_tickets_of_this_center(
        self, world: World, frozen: None, code: str, status: int, message: str
    ) -> None:
        actions.issue_ticket(world.center, world.dni)
        actions.issue_ticket(world.other, world.elsewhere)  # D-001, in Arequipa

        response = desk(world.olga).get(url("waiting"), {"codigo": code}, headers=HTMX)

        assert response.status_code == status
        assert f'role="alert">{message}</p>' in text(response)
        assert "waiting-ticket" not in text(response)


class TestCancel:
    def test_it_asks_for_a_reason_first(self, world: World, frozen: None) -> None:
        ticket = actions.issue_ticket(world.center, world.dni)
        before = unchanged()

        response = desk(world.olga).post(url("cancel"), {"ticket": ticket.pk}, headers=HTMX)

        assert response.status_code == 422
        assert 'role="alert">Elija el motivo de la anulación.</p>' in text(response)
        assert unchanged() == before

    def test_it_asks_to_confirm_and_changes_nothing_yet(self, world: World, frozen: None) -> None:
        ticket = actions.issue_ticket(world.center, world.dni)
        before = unchanged()

        response = desk(world.olga).post(
            url("cancel"), {"ticket": ticket.pk, "motivo": "duplicate"}, headers=HTMX
        )

        body = text(response)
        assert response.status_code == 200
        assert (
            "¿Anular el ticket R-001? Motivo: Ticket duplicado. El ciudadano pierde su lugar en la"
            " fila y la anulación no se puede deshacer."
        ) in body
        assert '<input type="hidden" name="confirmar" value="1">' in body
        assert '<input type="hidden" name="motivo" value="duplicate">' in body
        assert "Sí, anular R-001" in body and "No, volver" in body
        assert unchanged() == before

    def test_it_cancels_once_confirmed(self, world: World, frozen: None) -> None:
        ticket = actions.issue_ticket(world.center, world.ruc, source="desk", by=world.olga)

        response = desk(world.olga).post(
            url("cancel"), {"ticket": ticket.pk, "motivo": "left", "confirmar": "1"}, headers=HTMX
        )

        body = text(response)
        assert response.status_code == 200
        assert 'role="status">Se anuló el ticket S-001. Motivo: El ciudadano se retiró.</p>' in body
        assert "waiting-ticket" not in body
        assert "S-001</strong> · SUNAT · Inscripción en el RUC · 10:00 · anulado" in recent_oob(
            body
        )
        ticket.refresh_from_db()
        assert ticket.state == "cancelled"
        audit = AuditLog.objects.get(action="queue.ticket.cancelled")
        assert (audit.actor_id, audit.data) == (world.olga.pk, {"code": "S-001", "reason": "left"})

    def test_a_ticket_called_meanwhile_is_not_cancelled(self, world: World, frozen: None) -> None:
        # given: the desk confirmed after the counter had called the ticket
        ticket = actions.issue_ticket(world.center, world.dni)
        actions.call_next(Counter.objects.get(center=world.center, number=1), by=world.bob)
        before = unchanged()

        response = desk(world.olga).post(
            url("cancel"), {"ticket": ticket.pk, "motivo": "left", "confirmar": "1"}, headers=HTMX
        )

        body = text(response)
        assert response.status_code == 409
        assert (
            'role="alert">No se puede anular: el ticket R-001 ya no está en espera, lo llamó el'
            " Módulo 1.</p>"
        ) in body
        assert 'data-state="called"' in body
        assert "recientes" not in body
        assert unchanged() == before

    def test_a_ticket_already_cancelled_is_refused(self, world: World, frozen: None) -> None:
        ticket = actions.issue_ticket(world.center, world.dni)
        actions.cancel(ticket, by=world.olga, reason="mistake")
        before = unchanged()

        response = desk(world.olga).post(
            url("cancel"), {"ticket": ticket.pk, "motivo": "left", "confirmar": "1"}, headers=HTMX
        )

        assert response.status_code == 409
        assert (
            'role="alert">No se puede anular: el ticket R-001 ya no está en espera'
            " (está «Anulado»).</p>"
        ) in text(response)
        assert unchanged() == before

    def test_another_centers_ticket_is_not_found(self, world: World, frozen: None) -> None:
        # given: a ticket of Arequipa; Lima Norte's desk posts its id
        ticket = actions.issue_ticket(world.other, world.elsewhere)
        before = unchanged()

        response = desk(world.olga).post(
            url("cancel"), {"ticket": ticket.pk, "motivo": "left", "confirmar": "1"}, headers=HTMX
        )

        assert response.status_code == 404
        assert 'role="alert">Ese ticket no es de hoy o no es de este centro.</p>' in text(response)
        assert unchanged() == before


class TestChangeService:
    def test_it_moves_the_ticket_and_says_it_keeps_its_code(
        self, world: World, frozen: None
    ) -> None:
        ticket = actions.issue_ticket(world.center, world.dni, source="desk", by=world.olga)

        response = desk(world.olga).post(
            url("change_service"), {"ticket": ticket.pk, "servicio": world.ruc.pk}, headers=HTMX
        )

        body = text(response)
        assert response.status_code == 200
        assert (
            'role="status">El ticket R-001 ahora espera para «Inscripción en el RUC» (SUNAT).'
            " Conserva su código y su lugar en la fila: el ciudadano no necesita otro ticket.</p>"
        ) in body
        assert "SUNAT · Inscripción en el RUC" in body  # the card, as it is now
        assert f'<option value="{world.dni.pk}">Duplicado del DNI</option>' in body
        assert "R-001</strong> · SUNAT · Inscripción en el RUC · 10:00" in recent_oob(body)
        ticket.refresh_from_db()
        assert (ticket.code, ticket.service_id, ticket.state) == ("R-001", world.ruc.pk, "waiting")
        audit = AuditLog.objects.get(action="queue.ticket.service_changed")
        assert audit.actor_id == world.olga.pk

    def test_a_service_no_counter_serves_is_refused(self, world: World, frozen: None) -> None:
        unstaffed = queue_service(world.sunat, "Fraccionamiento de deuda", world.center)
        ticket = actions.issue_ticket(world.center, world.dni)
        before = unchanged()

        response = desk(world.olga).post(
            url("change_service"), {"ticket": ticket.pk, "servicio": unstaffed.pk}, headers=HTMX
        )

        assert response.status_code == 409
        assert (
            'role="alert">Ningún módulo habilitado de Centro MAC Lima Norte tiene «Fraccionamiento'
            " de deuda» entre sus servicios"
        ) in text(response)
        assert unchanged() == before

    def test_a_ticket_cancelled_meanwhile_is_not_moved(self, world: World, frozen: None) -> None:
        ticket = actions.issue_ticket(world.center, world.dni)
        actions.cancel(ticket, by=world.olga, reason="left")
        before = unchanged()

        response = desk(world.olga).post(
            url("change_service"), {"ticket": ticket.pk, "servicio": world.ruc.pk}, headers=HTMX
        )

        assert response.status_code == 409
        assert (
            "No se puede cambiar de trámite: el ticket R-001 ya no está en espera (está «Anulado»)."
        ) in text(response)
        assert unchanged() == before

    def test_it_asks_for_the_new_service(self, world: World, frozen: None) -> None:
        ticket = actions.issue_ticket(world.center, world.dni)
        before = unchanged()

        response = desk(world.olga).post(
            url("change_service"), {"ticket": ticket.pk, "servicio": ""}, headers=HTMX
        )

        assert response.status_code == 422
        assert 'role="alert">Elija el nuevo trámite.</p>' in text(response)
        assert unchanged() == before

    def test_services_it_cannot_go_to_are_listed_disabled(self, world: World, frozen: None) -> None:
        # given: a Quechua DNI ticket; SUNAT serves the RUC in Spanish only
        make_counter(world.center, world.reniec, 5, [world.dni], languages=["es", "qu"])
        unstaffed = queue_service(world.sunat, "Fraccionamiento de deuda", world.center)
        actions.issue_ticket(world.center, world.dni, language="qu")

        response = desk(world.olga).get(url("waiting"), {"codigo": "R-001"}, headers=HTMX)

        body = text(response)
        assert (
            f'<option value="{world.ruc.pk}" disabled>Inscripción en el RUC'
            " (nadie lo atiende en quechua)</option>"
        ) in body
        assert (
            f'<option value="{unstaffed.pk}" disabled>Fraccionamiento de deuda'
            " (sin módulo asignado)</option>"
        ) in body
        assert "· Quechua" in body


class TestWhoMayUseIt:
    def test_the_centers_coordinator_may(self, world: World, frozen: None) -> None:
        ticket = actions.issue_ticket(world.center, world.dni)
        carla = make_user("carla", Role.CENTER_COORDINATOR, center=world.center)

        response = desk(carla).post(
            url("change_service"), {"ticket": ticket.pk, "servicio": world.ruc.pk}, headers=HTMX
        )

        assert response.status_code == 200
        ticket.refresh_from_db()
        assert ticket.service_id == world.ruc.pk

    @pytest.mark.parametrize("who", ["oscar (orientation, Arequipa)", "bob (advisor, Lima Norte)"])
    def test_other_staff_are_refused_and_nothing_changes(
        self, world: World, frozen: None, who: str
    ) -> None:
        ticket = actions.issue_ticket(world.center, world.dni)
        client = desk(world.oscar if who.startswith("oscar") else world.bob)
        before = unchanged()

        responses = [
            client.get(url("waiting"), {"codigo": "R-001"}),
            client.post(url("cancel"), {"ticket": ticket.pk, "motivo": "left", "confirmar": "1"}),
            client.post(url("change_service"), {"ticket": ticket.pk, "servicio": world.ruc.pk}),
        ]

        assert [r.status_code for r in responses] == [403, 403, 403]
        assert unchanged() == before


class TestRecentList:
    """ "Emitidos hoy" alone, as orientation.js reloads it on live events: a
    waiting ticket has its "Anular o cambiar" button, another its state."""

    def test_it_lists_the_desks_tickets_with_their_state(self, world: World, frozen: None) -> None:
        waiting = actions.issue_ticket(world.center, world.ruc, source="desk", by=world.olga)
        cancelled = actions.issue_ticket(world.center, world.dni, source="desk", by=world.olga)
        actions.cancel(cancelled, by=world.olga, reason="mistake")
        actions.issue_ticket(world.center, world.dni)  # the kiosk's: not listed

        response = desk(world.olga).get(url("recent"), headers=HTMX)

        body = text(response)
        assert response.status_code == 200
        assert body.count("<li ") == 2
        assert f'<li data-ticket="R-001" data-id="{cancelled.pk}">' in body
        assert "R-001</strong> · RENIEC · Duplicado del DNI · 10:00 · anulado</li>" in body
        assert f'<li data-ticket="S-001" data-id="{waiting.pk}">' in body
        assert 'aria-label="Anular o cambiar de trámite el ticket S-001"' in body

    def test_other_staff_are_refused(self, world: World, frozen: None) -> None:
        assert desk(world.bob).get(url("recent")).status_code == 403
