"""The advisor adds another procedure to the visit of the citizen at the
counter ("Añadir trámite"): a new ticket of the same visit (its priority,
language and document) waits for it, the attention under way goes on, and
the panel gives the new code. Each refusal is shown in the panel and changes
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from mac.core.models import AuditLog, Event
from mac.core.testing import CITIZEN_DNI
from mac.queueing import actions
from mac.queueing.models import Counter, Ticket, TicketEvent, TicketSequence, Visit
from mac.queueing.testing import make_entity, queue_service

from .test_live_state_stream import Screen, make_screen

URL = "/centros/lima-norte/modulo/"
ADD = f"{URL}anadir-tramite/"
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def written() -> tuple:
    return (
        Visit.objects.count(),
        list(Ticket.objects.order_by("pk").values_list("code", "state")),
        list(TicketSequence.objects.values_list("series", "last_number")),
        TicketEvent.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
    )


def at_the_counter(client: Client, screen: Screen, *, serving: bool = False, **kw: Any) -> Ticket:
    """Bob has called (and, `serving`, started) a DNI ticket issued with `kw`."""
    counter = screen.sign_in_bob()
    ticket = screen.issue(**kw)
    actions.call_next(counter, by=screen.bob)
    if serving:
        actions.start(ticket, by=screen.bob)
    ticket.refresh_from_db()
    client.force_login(screen.bob)
    return ticket


def add(client: Client, ticket: Ticket | None, service: Any, *, htmx: bool = True) -> Any:
    data = {"service": getattr(service, "pk", service)}
    if ticket is not None:
        data["ticket"] = ticket.pk
    return client.post(ADD, data, **(HX if htmx else {}))


def error_of(response: Any) -> str:
    html = response.content.decode()
    start = html.index('id="error">') + len('id="error">')
    return html[start : html.index("</p>", start)]


class TestAdvisorAddsAService:
    @pytest.mark.parametrize("serving", [False, True], ids=["called", "serving"])
    def test_it_adds_a_ticket_to_the_visit_and_the_attention_goes_on(
        self, client: Client, screen: Screen, serving: bool
    ) -> None:
        # given: an older adult with their DNI at bob's counter
        ticket = at_the_counter(
            client,
            screen,
            serving=serving,
            priority_reason="older_adult",
            document_type="dni",
            document_number=CITIZEN_DNI,
        )

        # when bob adds SUNAT's RUC procedure
        response = add(client, ticket, screen.ruc)

        # then: a new waiting ticket of the same visit, and the panel says its code
        assert response.status_code == 200
        assert (
            '<p class="advisor-message advisor-message--done">Trámite añadido: ticket S-001 para'
            " «Inscripción en el RUC», en espera. Dé el código al ciudadano; esta atención"
            " sigue.</p>"
        ) in response.content.decode()
        new = Ticket.objects.get(code="S-001")
        assert (new.visit_id, new.state, new.source, new.service_id) == (
            ticket.visit_id,
            "waiting",
            "counter",
            screen.ruc.pk,
        )
        assert (new.priority, new.language) == (True, "es")
        assert new.visit.document_number == CITIZEN_DNI
        # the attention under way is untouched, still at bob's counter
        current = Ticket.objects.get(pk=ticket.pk)
        assert (current.state, current.counter_id) == (ticket.state, screen.counter.pk)
        assert Counter.objects.get(pk=screen.counter.pk).current_ticket_id == ticket.pk
        # audit and event as add_service writes them
        audit = AuditLog.objects.get(action="queue.ticket.issued", object_id=str(new.pk))
        assert (audit.actor_id, audit.data) == (
            screen.bob.pk,
            {"code": "S-001", "source": "counter"},
        )
        event = Event.objects.filter(payload__ticket=new.pk).get()
        assert (event.payload["type"], event.payload["state"]) == ("ticket.issued", "waiting")

    def test_it_confirms_in_quechua(self, client: Client, screen: Screen) -> None:
        ticket = at_the_counter(client, screen)
        client.cookies["django_language"] = "qu"

        html = add(client, ticket, screen.ruc).content.decode()

        assert (
            'Trámite yapasqa: «<span lang="es">Inscripción en el RUC</span>»-paq S-001 ticket,'
            " suyachkan."
        ) in html
        assert ">Trámiteta yapay</button>" in html

    def test_it_keeps_the_visits_language(self, client: Client, screen: Screen) -> None:
        screen.counter.languages = screen.sunat_counter.languages = ["es", "qu"]
        screen.counter.save(update_fields=["languages"])
        screen.sunat_counter.save(update_fields=["languages"])
        ticket = at_the_counter(client, screen, language="qu")

        assert add(client, ticket, screen.ruc).status_code == 200
        assert Ticket.objects.get(code="S-001").language == "qu"

    def test_it_shows_the_form_only_with_a_citizen_at_the_counter(
        self, client: Client, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        client.force_login(screen.bob)
        idle = client.get(URL).content.decode()
        screen.issue()
        busy = client.post(f"{URL}llamar/", **HX).content.decode()

        assert 'id="anadir-servicio"' not in idle
        assert '<label class="label" for="anadir-servicio">Otro trámite para el ciudadano' in busy
        assert '<button class="button button--secondary" type="submit" id="anadir">' in busy
        # the center's services by entity, but the one being given
        options = busy.split('id="anadir-servicio"')[1].split("</select>")[0]
        assert '<optgroup label="RENIEC">' in options and '<optgroup label="SUNAT">' in options
        assert f'value="{screen.acta.pk}"' in options and f'value="{screen.ruc.pk}"' in options
        assert f'value="{screen.dni.pk}"' not in options
        assert 'data-shortcut-focus="A" aria-keyshortcuts="A"' in options
        assert "<kbd>A</kbd>" in busy

    def test_a_plain_post_redirects_with_the_confirmation(
        self, client: Client, screen: Screen
    ) -> None:
        ticket = at_the_counter(client, screen)

        response = add(client, ticket, screen.ruc, htmx=False)

        assert (response.status_code, response["Location"]) == (302, URL)
        page = client.get(URL).content.decode()
        assert "Trámite añadido: ticket S-001 para «Inscripción en el RUC»" in page


class TestAdvisorAddServiceRefusals:
    def test_it_refuses_a_service_not_offered_here(self, client: Client, screen: Screen) -> None:
        ticket = at_the_counter(client, screen)
        elsewhere = queue_service(make_entity("SUNARP"), "Copia literal", screen.center)
        elsewhere.offers.all().delete()
        before = written()

        response = add(client, ticket, elsewhere)

        assert response.status_code == 422
        assert error_of(response) == escape(
            "El servicio «Copia literal» no se ofrece en Centro MAC Lima Norte."
        )
        assert written() == before

    def test_it_refuses_a_language_no_counter_has(self, client: Client, screen: Screen) -> None:
        # a Quechua citizen at bob's counter; nobody at SUNAT speaks Quechua
        screen.counter.languages = ["es", "qu"]
        screen.counter.save(update_fields=["languages"])
        ticket = at_the_counter(client, screen, language="qu")
        before = written()

        response = add(client, ticket, screen.ruc)

        assert response.status_code == 409
        assert error_of(response) == escape(
            "Ningún módulo de Centro MAC Lima Norte atiende «Inscripción en el RUC» en quechua:"
            " el ticket esperaría sin que nadie lo llame. Indique al ciudadano que en"
            " orientación pueden emitirlo en castellano o coordinar un intérprete."
        )
        assert written() == before

    def test_it_refuses_a_procedure_the_visit_already_waits_for(
        self, client: Client, screen: Screen
    ) -> None:
        ticket = at_the_counter(client, screen)
        assert add(client, ticket, screen.ruc).status_code == 200
        before = written()

        again = add(client, ticket, screen.ruc)

        assert again.status_code == 409
        assert error_of(again) == "La visita ya tiene un ticket abierto para ese servicio."
        assert written() == before

    def test_it_refuses_without_a_citizen_at_the_counter(
        self, client: Client, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        client.force_login(screen.bob)
        before = written()

        response = add(client, None, screen.ruc)

        assert response.status_code == 409
        assert error_of(response) == "No hay un ticket en curso en su módulo."
        assert written() == before

    def test_it_refuses_on_a_stale_screen(self, client: Client, screen: Screen) -> None:
        # the screen showed a ticket that bob has finished since (in another tab)
        ticket = at_the_counter(client, screen, serving=True)
        actions.finish(ticket, by=screen.bob)
        other = screen.issue()
        actions.call_next(screen.counter, by=screen.bob)
        before = written()

        response = add(client, ticket, screen.ruc)

        assert response.status_code == 409
        assert error_of(response) == "La pantalla estaba desactualizada: revise el ticket en curso."
        assert written() == before
        assert Ticket.objects.get(pk=other.pk).state == "called"

    @pytest.mark.parametrize("crafted", ["", "²", "9" * 5000, "9" * 19])
    def test_it_refuses_a_missing_or_crafted_service(
        self, client: Client, screen: Screen, crafted: str
    ) -> None:
        ticket = at_the_counter(client, screen)
        before = written()

        response = add(client, ticket, crafted)

        assert response.status_code == 422
        assert error_of(response) == "Elija el trámite que añade a la visita."
        assert written() == before
