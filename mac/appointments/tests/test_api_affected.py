"""The API of bookings the center cannot attend: `GET
/api/v1/appointments/affected` lists them for a center's coordinator (their
center) and a national supervisor (every center, or one), and `POST
/api/v1/appointments/{code}/cancel-by-center` cancels one and tells the
citizen; other roles and other centers are refused with a code, and a
refused cancellation changes nothing. Both are in the OpenAPI spec."""

from __future__ import annotations

import pytest
from django.test import Client

from mac.accounts.apikeys import create_key
from mac.accounts.models import Role
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import agenda
from mac.core.models import AuditLog
from mac.core.testing import make_center, make_user
from mac.notify.models import Message
from mac.queueing.testing import make_counter, queue_service

from .affected import DAY, at, back_office, book, world

pytestmark = pytest.mark.django_db
__all__ = ["back_office", "world"]
LIST = "/api/v1/appointments/affected"


def cancel_url(code: str) -> str:
    return f"/api/v1/appointments/{code}/cancel-by-center"


@pytest.fixture
def coordinator(world):
    return make_user("cora", Role.CENTER_COORDINATOR, center=world.center)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def written() -> tuple:
    return (
        list(Booking.objects.order_by("pk").values_list("status", "cancelled_by_center")),
        list(Slot.objects.order_by("pk").values_list("taken", flat=True)),
        AuditLog.objects.count(),
        Message.objects.count(),
    )


@pytest.fixture
def unstaffed(world, back_office):
    """A booking of Lima Norte whose service lost its only counter, and one
    it can attend."""
    booking = book(world.other, at(DAY, 10, 10))
    book(world.dni, at(DAY, 10, 10))
    back_office.disable(world.other_counter)
    return booking


class TestListingAffected:
    def test_a_coordinator_gets_her_centers_bookings_with_the_reason(
        self, world, unstaffed, coordinator
    ):
        response = signed_in(coordinator).get(LIST)

        assert response.status_code == 200
        assert response.json() == [
            {
                "code": unstaffed.code,
                "status": "confirmed",
                "center": world.center.pk,
                "service": world.other.pk,
                "start": "2026-12-02T10:10:00-05:00",
                "end": "2026-12-02T10:30:00-05:00",
                "attention_language": "es",
                "reason": "service_unstaffed",
                "detail": "Ningún módulo habilitado del centro tiene el trámite entre sus"
                " servicios.",
            }
        ]

    def test_a_national_supervisor_gets_every_centers_or_one(
        self, world, unstaffed, back_office, personas
    ):
        arequipa = personas.arequipa
        service = queue_service(personas.reniec, "Constancia de inscripción", arequipa)
        agenda(arequipa, service)
        counter = make_counter(arequipa, personas.reniec, 1, [service])
        elsewhere = book(service, at(DAY, 9, 10), center=arequipa)
        back_office.disable(counter)
        client = signed_in(personas.alice)

        every = [b["code"] for b in client.get(LIST).json()]
        one = [b["code"] for b in client.get(LIST, {"center": arequipa.pk}).json()]

        assert every == [elsewhere.code, unstaffed.code]
        assert one == [elsewhere.code]

    def test_it_works_with_an_api_key(self, world, unstaffed, coordinator):
        _row, key = create_key(coordinator, "Tablero de coordinación")

        response = Client().get(LIST, HTTP_AUTHORIZATION=f"Bearer {key}")

        assert [b["code"] for b in response.json()] == [unstaffed.code]

    def test_it_refuses_another_center_another_role_and_no_one(
        self, world, unstaffed, coordinator, personas
    ):
        other = make_center("callao")

        refusals = [
            signed_in(coordinator).get(LIST, {"center": other.pk}),
            signed_in(personas.carol).get(LIST),
            signed_in(make_user("olga", Role.CALL_CENTER)).get(LIST),
            Client().get(LIST),
        ]

        assert [(r.status_code, r.json()["code"]) for r in refusals] == [
            (403, "not_this_center"),
            (403, "role"),
            (403, "role"),
            (401, "unauthenticated"),
        ]


class TestCancellingByCenter:
    def test_it_cancels_and_answers_the_booking(self, world, unstaffed, coordinator):
        response = signed_in(coordinator).post(cancel_url(unstaffed.code))

        assert response.status_code == 200
        data = response.json()
        assert (data["code"], data["status"], data["cancelled_by_center"], data["sequence"]) == (
            unstaffed.code,
            "cancelled",
            "service_unstaffed",
            1,
        )
        assert list(
            Message.objects.filter(kind="appointment_cancelled_by_center").values_list(
                "ref", flat=True
            )
        ) == [f"appointments.booking:{unstaffed.pk}"]
        assert signed_in(coordinator).get(LIST).json() == []

    def test_it_refuses_with_a_code_and_changes_nothing(
        self, world, unstaffed, coordinator, personas
    ):
        attended = Booking.objects.exclude(pk=unstaffed.pk).get()
        elsewhere = make_user("aqp", Role.CENTER_COORDINATOR, center=personas.arequipa)
        before = written()

        refusals = [
            signed_in(coordinator).post(cancel_url(attended.code)),
            signed_in(elsewhere).post(cancel_url(unstaffed.code)),
            signed_in(personas.carol).post(cancel_url(unstaffed.code)),
            signed_in(coordinator).post(cancel_url("ZZZZZZZZ")),
            Client().post(cancel_url(unstaffed.code)),
        ]

        assert [(r.status_code, r.json()["code"]) for r in refusals] == [
            (409, "not_affected"),
            (403, "not_this_center"),
            (403, "role"),
            (404, "booking_not_found"),
            (401, "unauthenticated"),
        ]
        assert written() == before

    def test_a_second_cancellation_is_refused_as_cancelled(self, world, unstaffed, coordinator):
        client = signed_in(coordinator)
        client.post(cancel_url(unstaffed.code))
        before = written()

        response = client.post(cancel_url(unstaffed.code))

        assert (response.status_code, response.json()["code"]) == (409, "cancelled")
        assert written() == before


def test_the_openapi_spec_describes_both_with_their_refusals(client):
    spec = client.get("/api/v1/openapi.json").json()

    listing = spec["paths"]["/api/v1/appointments/affected"]["get"]
    cancelling = spec["paths"]["/api/v1/appointments/{code}/cancel-by-center"]["post"]

    assert listing["summary"] == "Citas confirmadas que el centro no podrá atender"
    assert {p["name"] for p in listing["parameters"]} == {"center"}
    for code in ("service_unstaffed", "language_unavailable", "center_closed", "not_this_center"):
        assert code in listing["description"], code
    for code in ("not_affected", "cancelled", "checked_in", "past_booking", "not_this_center"):
        assert code in cancelling["description"], code
    assert set(cancelling["responses"]) == {"200", "401", "403", "404", "409", "422"}
