"""The advisor desk: who may open it, what it shows, and every action through
it (htmx and plain posts); an illegal move shows the engine's message and
changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mac.queueing import actions
from mac.queueing.models import Attention, Counter, Ticket

from .test_live_state_stream import Screen, make_screen

URL = "/centros/lima-norte/modulo/"
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def desk_of(client: Client, screen: Screen) -> Client:
    client.force_login(screen.bob)
    return client


def post(client: Client, name: str, data: dict | None = None, *, htmx: bool = True):
    return client.post(f"{URL}{name}/", data or {}, **(HX if htmx else {}))


class TestAdvisorDeskAccess:
    def test_it_requires_login(self, client: Client, screen: Screen) -> None:
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith("/personal/entrar/?next=/centros/lima-norte/modulo/")

    @pytest.mark.parametrize("who", ["charlie", "olga"], ids=["other-center", "not-advisor"])
    def test_it_forbids_anyone_but_the_centers_advisors(
        self, client: Client, screen: Screen, who: str
    ) -> None:
        client.force_login(getattr(screen, who))
        assert client.get(URL).status_code == 403
        assert post(client, "ingresar", {"counter": screen.counter.pk}).status_code == 403
        screen.counter.refresh_from_db()
        assert screen.counter.advisor_id is None

    def test_it_answers_404_for_an_unknown_center(self, client: Client, screen: Screen) -> None:
        desk_of(client, screen)
        assert client.get("/centros/no-existe/modulo/").status_code == 404

    def test_it_rejects_an_unknown_command(self, client: Client, screen: Screen) -> None:
        desk_of(client, screen)
        assert post(client, "borrar-todo").status_code == 404


class TestAdvisorDeskSignIn:
    def test_it_lists_the_entitys_counters(self, client: Client, screen: Screen) -> None:
        response = desk_of(client, screen).get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Elija su módulo" in html
        assert 'id="ingresar-1"' in html
        assert 'id="ingresar-2"' in html
        assert 'id="ingresar-3"' not in html  # SUNAT's

    def test_it_signs_in(self, client: Client, screen: Screen) -> None:
        response = post(desk_of(client, screen), "ingresar", {"counter": screen.counter.pk})
        assert response.status_code == 200
        assert "Sesión iniciada en el Módulo 1." in response.content.decode()
        screen.counter.refresh_from_db()
        assert screen.counter.advisor_id == screen.bob.pk
        assert screen.counter.status == Counter.Status.OPEN

    def test_it_refuses_another_entitys_counter(self, client: Client, screen: Screen) -> None:
        response = post(desk_of(client, screen), "ingresar", {"counter": screen.sunat_counter.pk})
        assert response.status_code == 403
        assert "El Módulo 3 es de SUNAT en Centro MAC Lima Norte." in response.content.decode()
        screen.sunat_counter.refresh_from_db()
        assert screen.sunat_counter.advisor_id == screen.sunat_advisor.pk

    def test_it_refuses_a_crafted_counter_id(self, client: Client, screen: Screen) -> None:
        desk_of(client, screen)
        for crafted in ("²", "9" * 5000, "9" * 19):
            response = post(client, "ingresar", {"counter": crafted})

            assert response.status_code == 422, crafted
            assert "Elija uno de los módulos de la lista." in response.content.decode()
        screen.counter.refresh_from_db()
        assert screen.counter.advisor_id is None

    def test_it_refuses_a_counter_that_is_not_there(self, client: Client, screen: Screen) -> None:
        response = post(desk_of(client, screen), "ingresar", {"counter": "9999"})
        assert response.status_code == 422
        assert "Elija uno de los módulos de la lista." in response.content.decode()


class TestAdvisorDeskServing:
    def test_it_shows_waiting_counts_for_the_counters_services(
        self, client: Client, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        screen.issue()
        screen.issue()
        screen.issue(screen.acta)
        screen.issue(screen.ruc)

        response = desk_of(client, screen).get(f"{URL}espera/")

        html = response.content.decode()
        assert f'data-service="{screen.dni.pk}"><span>Duplicado de DNI</span> <strong' in html
        counts = [
            (row.split("<span>")[1].split("</span>")[0], row.split('count">')[1].split("<")[0])
            for row in html.split('class="advisor-waiting__row"')[1:]
        ]
        assert counts == [("Copia de acta de nacimiento", "1"), ("Duplicado de DNI", "2")]

    def test_it_calls_starts_and_finishes(self, client: Client, screen: Screen) -> None:
        screen.sign_in_bob()
        ticket = screen.issue()
        desk_of(client, screen)

        called = post(client, "llamar")
        assert "Llamando al ticket R-001." in called.content.decode()
        assert "Pagar la tasa en el Banco de la Nación." in called.content.decode()
        assert "Presentar el DNI original." in called.content.decode()

        started = post(client, "iniciar", {"ticket": ticket.pk})
        assert "Atención del ticket R-001 iniciada." in started.content.decode()

        finished = post(client, "finalizar", {"ticket": ticket.pk, "outcome": "pending"})
        assert "Ticket R-001 finalizado: Pendiente." in finished.content.decode()
        ticket.refresh_from_db()
        assert ticket.state == Ticket.State.DONE
        assert Attention.objects.get(ticket=ticket).outcome == "pending"

    def test_it_recalls_and_marks_no_show(self, client: Client, screen: Screen) -> None:
        screen.sign_in_bob()
        ticket = screen.issue()
        desk_of(client, screen)
        post(client, "llamar")

        recalled = post(client, "rellamar", {"ticket": ticket.pk})
        assert "Ticket R-001 llamado otra vez (1)." in recalled.content.decode()
        assert "Llamado · vuelto a llamar 1 vez</p>" in recalled.content.decode()
        again = post(client, "rellamar", {"ticket": ticket.pk})
        assert "Llamado · vuelto a llamar 2 veces</p>" in again.content.decode()
        gone = post(client, "no-se-presento", {"ticket": ticket.pk})
        assert "Ticket R-001 marcado como no presentado." in gone.content.decode()
        ticket.refresh_from_db()
        assert (ticket.state, ticket.recalls) == (Ticket.State.NO_SHOW, 2)

    def test_it_transfers_to_another_service(self, client: Client, screen: Screen) -> None:
        screen.sign_in_bob()
        ticket = screen.issue()
        desk_of(client, screen)
        post(client, "llamar")

        response = post(client, "derivar", {"ticket": ticket.pk, "service": screen.ruc.pk})

        assert (
            "Ticket R-001 derivado: nuevo ticket S-001 para Inscripción en el RUC."
            in response.content.decode()
        )
        new = Ticket.objects.get(code="S-001")
        assert (new.visit_id, new.state) == (ticket.visit_id, Ticket.State.WAITING)

    def test_it_refuses_a_transfer_to_a_crafted_service_id(
        self, client: Client, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        ticket = screen.issue()
        desk_of(client, screen)
        post(client, "llamar")
        for crafted in ("²", "9" * 5000, "9" * 19):
            response = post(client, "derivar", {"ticket": ticket.pk, "service": crafted})

            assert response.status_code == 422, crafted
            assert "Elija el servicio al que deriva." in response.content.decode()
        ticket.refresh_from_db()
        assert (ticket.state, Ticket.objects.count()) == (Ticket.State.CALLED, 1)

    def test_it_pauses_and_resumes(self, client: Client, screen: Screen) -> None:
        screen.sign_in_bob()
        desk_of(client, screen)

        paused = post(client, "pausar")
        assert 'id="estado-modulo">En pausa' in paused.content.decode()
        assert Counter.objects.get(pk=screen.counter.pk).status == Counter.Status.PAUSED
        resumed = post(client, "reanudar")
        assert "Módulo atendiendo otra vez." in resumed.content.decode()
        assert Counter.objects.get(pk=screen.counter.pk).status == Counter.Status.OPEN

    def test_it_says_when_nobody_waits(self, client: Client, screen: Screen) -> None:
        screen.sign_in_bob()
        response = post(desk_of(client, screen), "llamar")
        assert response.status_code == 200
        assert (
            "No hay nadie en espera para los servicios de su módulo." in response.content.decode()
        )

    def test_it_redirects_plain_posts_back_to_the_desk(
        self, client: Client, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        screen.issue()
        response = post(desk_of(client, screen), "llamar", htmx=False)
        assert response.status_code == 302
        assert response["Location"] == URL
        page = client.get(URL).content.decode()
        assert "Llamando al ticket R-001." in page
        assert 'id="ticket-actual">R-001<' in page

    def test_it_shows_the_shortcut_of_every_action(self, client: Client, screen: Screen) -> None:
        screen.sign_in_bob()
        screen.issue()
        desk_of(client, screen)
        html = post(client, "llamar").content.decode()
        for key in ["L", "R", "N", "I", "D", "P", "S"]:
            assert f"<kbd>{key}</kbd>" in html


class TestAdvisorDeskIllegalMoves:
    def test_it_refuses_to_finish_a_ticket_not_started(
        self, client: Client, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        ticket = screen.issue()
        desk_of(client, screen)
        post(client, "llamar")

        response = post(client, "finalizar", {"ticket": ticket.pk, "outcome": "resolved"})

        assert response.status_code == 409
        assert (
            '<p class="advisor-message advisor-message--error" id="error">No se puede finalizar: '
            "el ticket R-001 está «Llamado».</p>" in response.content.decode()
        )
        ticket.refresh_from_db()
        assert ticket.state == Ticket.State.CALLED
        assert not Attention.objects.exists()

    def test_it_refuses_an_unknown_outcome(self, client: Client, screen: Screen) -> None:
        screen.sign_in_bob()
        ticket = screen.issue()
        desk_of(client, screen)
        post(client, "llamar")
        post(client, "iniciar", {"ticket": ticket.pk})

        response = post(client, "finalizar", {"ticket": ticket.pk, "outcome": "olvidado"})

        assert response.status_code == 422
        assert "Resultado desconocido" in response.content.decode()
        assert Ticket.objects.get(pk=ticket.pk).state == Ticket.State.SERVING

    def test_it_refuses_to_act_on_a_stale_screen(self, client: Client, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        first = screen.issue()
        second = screen.issue()
        actions.call_next(counter, by=screen.bob)
        actions.no_show(first, by=screen.bob)
        actions.call_next(counter, by=screen.bob)

        response = post(desk_of(client, screen), "iniciar", {"ticket": first.pk})

        assert response.status_code == 409
        assert "La pantalla estaba desactualizada" in response.content.decode()
        assert Ticket.objects.get(pk=second.pk).state == Ticket.State.CALLED

    def test_it_refuses_to_pause_while_serving(self, client: Client, screen: Screen) -> None:
        screen.sign_in_bob()
        screen.issue()
        desk_of(client, screen)
        post(client, "llamar")

        response = post(client, "pausar")

        assert response.status_code == 409
        assert "Termine la atención en curso antes de pausar." in response.content.decode()
        assert Counter.objects.get(pk=screen.counter.pk).status == Counter.Status.OPEN

    def test_it_refuses_a_transfer_to_the_same_service(
        self, client: Client, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        ticket = screen.issue()
        desk_of(client, screen)
        post(client, "llamar")

        response = post(client, "derivar", {"ticket": ticket.pk, "service": screen.dni.pk})

        assert response.status_code == 422
        assert "Derive a un servicio distinto." in response.content.decode()
        assert Ticket.objects.count() == 1

    def test_it_refuses_actions_without_a_session(self, client: Client, screen: Screen) -> None:
        screen.issue()
        response = post(desk_of(client, screen), "llamar")
        assert response.status_code == 409
        assert "No tiene una sesión abierta en un módulo." in response.content.decode()
        assert Ticket.objects.get().state == Ticket.State.WAITING
