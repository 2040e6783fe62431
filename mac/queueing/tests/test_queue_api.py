import datetime as dt

import pytest
import time_machine
from django.test import Client

from mac.accounts.apikeys import create_key
from mac.accounts.models import Role
from mac.appointments.testing import agenda
from mac.core.testing import make_center, make_entity, make_user
from mac.queueing import actions
from mac.queueing.models import Attention, Ticket, Visit
from mac.queueing.testing import OPEN, make_advisor, queue_center, queue_service, staffed_counter

from .conftest import Desk
from .test_queue_api_keys import call


def login(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def post(client: Client, path: str, data: dict | None = None) -> tuple[int, dict]:
    with time_machine.travel(OPEN, tick=False):
        response = client.post(f"/api/v1/queue{path}", data or {}, content_type="application/json")
    return response.status_code, (response.json() if response.content else {})


class TestQueueApiJourney:
    def test_it_serves_a_citizen_end_to_end(self, desk: Desk, client: Client) -> None:
        login(client, desk.advisor)
        status, ticket = post(
            client,
            f"/centers/{desk.center.pk}/tickets",
            {"service": desk.dni.pk, "priority_reason": "pregnant"},
        )
        assert status == 201
        assert (ticket["code"], ticket["state"], ticket["priority"], ticket["language"]) == (
            "R-001",
            "waiting",
            True,
            "es",
        )
        status, called = post(client, f"/counters/{desk.counter.pk}/call-next")
        assert (status, called["id"], called["state"], called["counter"]) == (
            200,
            ticket["id"],
            "called",
            1,
        )
        assert post(client, f"/tickets/{ticket['id']}/recall")[1]["recalls"] == 1
        assert post(client, f"/tickets/{ticket['id']}/start")[1]["state"] == "serving"
        status, attention = post(client, f"/tickets/{ticket['id']}/finish", {"outcome": "resolved"})
        assert (status, attention["ticket"], attention["outcome"]) == (
            200,
            ticket["id"],
            "resolved",
        )
        status, _ = post(client, f"/counters/{desk.counter.pk}/call-next")
        assert status == 204
        # finishing through the API offers the survey, as the advisor desk does
        from mac.surveys.models import Invitation

        assert list(Invitation.objects.values_list("attention_id", flat=True)) == [attention["id"]]

    def test_it_shows_the_queue(self, desk: Desk, client: Client) -> None:
        login(client, desk.advisor)
        post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.ruc.pk})
        post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.ruc.pk})
        body = client.get(f"/api/v1/queue/centers/{desk.center.pk}/queue").json()
        assert (body["waiting"], body["by_service"]) == (
            3,
            {desk.dni.code: 1, desk.ruc.code: 2},
        )
        assert [(c["number"], c["status"]) for c in body["counters"]] == [(1, "open"), (2, "open")]


class TestQueueApiRefusals:
    def test_it_requires_a_session(self, desk: Desk, client: Client) -> None:
        status, _ = post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        assert status == 401
        assert Ticket.objects.count() == 0

    def test_it_answers_clear_conflicts(self, desk: Desk, client: Client) -> None:
        login(client, desk.advisor)
        _, ticket = post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        status, body = post(client, f"/tickets/{ticket['id']}/finish")
        assert (status, body["code"]) == (409, "not_called")
        assert "R-001" in body["detail"]
        post(client, f"/counters/{desk.counter.pk}/call-next")
        status, body = post(client, f"/counters/{desk.counter.pk}/call-next")
        assert (status, body["code"]) == (409, "busy")
        assert Ticket.objects.get().state == "called"
        assert Attention.objects.count() == 0

    def test_an_advisor_may_not_finish_as_unrecorded(self, desk: Desk, client: Client) -> None:
        login(client, desk.advisor)
        _, ticket = post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        post(client, f"/counters/{desk.counter.pk}/call-next")
        post(client, f"/tickets/{ticket['id']}/start")
        status, _ = post(client, f"/tickets/{ticket['id']}/finish", {"outcome": "unrecorded"})
        assert status == 422
        assert Ticket.objects.get().state == "serving"
        assert Attention.objects.count() == 0

    def test_it_refuses_a_service_not_offered(self, desk: Desk, client: Client) -> None:
        login(client, desk.advisor)
        other = queue_center("arequipa", district="040112")
        foreign = queue_service(make_entity("SAT"), "Papeletas", other)
        status, body = post(client, f"/centers/{desk.center.pk}/tickets", {"service": foreign.pk})
        assert (status, body["code"]) == (422, "service_not_offered")
        assert Visit.objects.count() == 0

    def test_it_validates_input(self, desk: Desk, client: Client) -> None:
        login(client, desk.advisor)
        for data in (
            {"service": "x"},
            {"service": desk.dni.pk, "language": "klingon"},
            {"service": desk.dni.pk, "priority_reason": "vip"},
            {"service": desk.dni.pk, "document_type": "dni", "document_number": "123"},
            {"service": desk.dni.pk, "document_number": "9" * 500},
        ):
            status, _ = post(client, f"/centers/{desk.center.pk}/tickets", data)
            assert status == 422, data
        assert Ticket.objects.count() == 0

    def test_it_answers_404_for_unknown_ids(self, desk: Desk, client: Client) -> None:
        login(client, desk.advisor)
        assert post(client, "/centers/999999/tickets", {"service": desk.dni.pk})[0] == 404
        assert post(client, f"/centers/{desk.center.pk}/tickets", {"service": 999999})[0] == 404
        assert post(client, "/tickets/999999/start")[0] == 404
        assert post(client, "/counters/999999/call-next")[0] == 404
        assert post(client, "/visits/999999/tickets", {"service": desk.dni.pk})[0] == 404
        assert client.get("/api/v1/queue/tickets/999999").status_code == 404

    def test_it_hides_another_centers_queue(self, desk: Desk, client: Client) -> None:
        arequipa = make_center("arequipa", district="040112")
        outsider = make_advisor(arequipa, desk.reniec, "charlie")
        login(client, outsider)
        status, _ = post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        assert status == 404
        status, _ = post(client, f"/counters/{desk.counter.pk}/call-next")
        assert status == 404
        assert client.get(f"/api/v1/queue/centers/{desk.center.pk}/queue").status_code == 404
        assert Ticket.objects.count() == 0

    def test_it_refuses_another_advisors_ticket(self, desk: Desk, client: Client) -> None:
        login(client, desk.advisor)
        _, ticket = post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        post(client, f"/counters/{desk.counter.pk}/call-next")
        _, other = staffed_counter(desk.center, desk.reniec, 5, [desk.dni])
        login(client, other)
        status, body = post(client, f"/tickets/{ticket['id']}/start")
        assert (status, body["code"]) == (403, "not_your_counter")
        assert Ticket.objects.get().state == "called"


class TestWaitEstimates:
    def test_it_estimates_from_the_queue_and_service_times(
        self, desk: Desk, client: Client
    ) -> None:
        # given one open RENIEC counter (8-minute DNI services) and three waiting
        login(client, desk.advisor)
        issued = [
            post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})[1]
            for _ in range(3)
        ]
        # when, a minute later
        with time_machine.travel(OPEN + dt.timedelta(minutes=1), tick=False):
            new = client.get(
                f"/api/v1/queue/centers/{desk.center.pk}/estimate", {"service": desk.dni.pk}
            ).json()
            third = client.get(f"/api/v1/queue/tickets/{issued[2]['id']}").json()
        # then: three services of 8 minutes ahead of a new ticket, two ahead of the third
        assert new == {"service": desk.dni.pk, "waiting": 3, "estimated_wait_seconds": 3 * 8 * 60}
        assert third["estimated_wait_seconds"] == 2 * 8 * 60

    def test_it_says_when_no_counter_can_serve(self, desk: Desk, client: Client) -> None:
        login(client, desk.advisor)
        with time_machine.travel(OPEN, tick=False):
            body = client.get(
                f"/api/v1/queue/centers/{desk.center.pk}/estimate",
                {"service": str(desk.dni.pk), "language": "lsp"},
            ).json()
        assert body["estimated_wait_seconds"] is None


class TestWhoMayDoWhat:
    def test_an_advisor_sees_only_their_entitys_tickets(self, desk: Desk, client: Client) -> None:
        # given: a RENIEC ticket; the SUNAT advisor of the same center
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        login(client, desk.sunat_advisor)

        # when
        with time_machine.travel(OPEN, tick=False):
            read = client.get(f"/api/v1/queue/tickets/{ticket.pk}")
        status, body = post(client, f"/tickets/{ticket.pk}/cancel")

        # then
        assert (read.status_code, status, body["code"]) == (404, 404, "ticket")
        assert Ticket.objects.get().state == "waiting"

    @pytest.mark.parametrize("role", [Role.CATALOG_EDITOR, Role.ENTITY_SUPERVISOR])
    def test_entity_staff_read_but_do_not_run_the_queue(
        self, desk: Desk, client: Client, role: str
    ) -> None:
        # given
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        login(client, make_user("staff", role, entity=desk.reniec, is_staff=True))

        # when
        with time_machine.travel(OPEN, tick=False):
            read = client.get(f"/api/v1/queue/tickets/{ticket.pk}")
        cancelled = post(client, f"/tickets/{ticket.pk}/cancel")
        issued = post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        added = post(client, f"/visits/{ticket.visit_id}/tickets", {"service": desk.acta.pk})

        # then
        assert read.status_code == 200
        assert [(s, b["code"]) for s, b in (cancelled, issued, added)] == [(403, "role")] * 3
        assert list(Ticket.objects.values_list("state", flat=True)) == ["waiting"]

    def test_orientation_staff_issue_and_cancel(self, desk: Desk, client: Client) -> None:
        login(client, make_user("orienta", Role.ORIENTATION, center=desk.center))
        status, ticket = post(
            client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk}
        )
        assert status == 201
        status, body = post(client, f"/tickets/{ticket['id']}/cancel")
        assert (status, body["state"]) == (200, "cancelled")

    @pytest.mark.parametrize("source", ["transfer", "appointment"])
    def test_a_client_may_not_claim_a_transfer_or_appointment_source(
        self, desk: Desk, client: Client, source: str
    ) -> None:
        login(client, desk.advisor)
        status, body = post(
            client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk, "source": source}
        )
        assert (status, body["code"], body["detail"]) == (
            422,
            "invalid",
            "Datos no válidos: source.",
        )
        assert Ticket.objects.count() == 0

    def test_without_credentials_the_refusal_has_a_code(self, desk: Desk, client: Client) -> None:
        status, body = post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        assert (status, body["code"]) == (401, "unauthenticated")
        assert Ticket.objects.count() == 0


def test_the_openapi_spec_lists_each_routes_refusals(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    finish = paths["/api/v1/queue/tickets/{ticket_id}/finish"]["post"]["responses"]
    read = paths["/api/v1/queue/tickets/{ticket_id}"]["get"]["responses"]
    assert sorted(finish) == ["200", "401", "403", "404", "409", "422"]
    assert sorted(read) == ["200", "401", "404", "422"]
    schema = finish["409"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    queue_routes = [p for p in paths if p.startswith("/api/v1/queue/")]
    assert all(
        "401" in operation["responses"]
        for path in queue_routes
        for operation in paths[path].values()
    )


class TestQueueApiAppointmentRequired:
    """A kiosk issues no walk-in ticket for a service that requires an
    appointment, through the API too (a kiosk's key); staff (the desk's or a
    system's key) still may."""

    @pytest.mark.parametrize(
        ("books", "detail"),
        [
            (
                True,
                "«Duplicado de DNI» requiere cita previa: el kiosko no da tickets sin cita para"
                " este trámite. Si tienes cita, registra tu llegada con tu código de reserva en"
                " «Tengo cita». Si no la tienes, resérvala en mac.gob.pe/citas/.",
            ),
            (
                False,
                "«Duplicado de DNI» requiere cita previa: el kiosko no da tickets sin cita para"
                " este trámite, y este Centro MAC no da citas para él. Consulta en orientación,"
                " o reserva tu cita en un Centro MAC que lo ofrezca en mac.gob.pe/citas/.",
            ),
        ],
        ids=["center-books-it", "center-does-not-book-it"],
    )
    def test_it_refuses_a_kiosk_walk_in(
        self, desk: Desk, settings: object, books: bool, detail: str
    ) -> None:
        settings.SITE_URL = "https://mac.gob.pe/"  # type: ignore[attr-defined]
        desk.dni.requires_appointment = True
        desk.dni.save(update_fields=["requires_appointment"])
        if books:
            agenda(desk.center, desk.dni)
        _, key = create_key(desk.advisor, "Kiosko", source="kiosk")

        status, body = call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})

        assert (status, body["code"], body["detail"]) == (409, "appointment_required", detail)
        assert (Ticket.objects.count(), Visit.objects.count()) == (0, 0)

    @pytest.mark.parametrize("source", ["desk", "api"])
    def test_staff_may_still_issue_one(self, desk: Desk, source: str) -> None:
        desk.dni.requires_appointment = True
        desk.dni.save(update_fields=["requires_appointment"])
        _, key = create_key(desk.advisor, "Sistema", source=source)

        status, ticket = call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})

        assert (status, ticket["code"], ticket["source"]) == (201, "R-001", source)
