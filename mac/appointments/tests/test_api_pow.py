"""What the booking pages ask a citizen's browser to prove before taking a
place (holding a slot, joining a waitlist), the API asks an anonymous client
too: without a valid, unspent proof of work it is a 403 and nothing is
written; an operator (API key or session) needs none, and the actions the
pages do not guard (confirm, reschedule, cancel, lookup) need none either."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from mac.accounts.apikeys import create_key
from mac.accounts.models import Role
from mac.appointments import actions
from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.appointments.testing import DNI, OTHER_DNI
from mac.core import pow
from mac.core.models import AuditLog, SpentChallenge
from mac.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)
CHALLENGE = "/api/v1/appointments/challenge"
MISSING = (
    "Falta la prueba de trabajo: pide un desafío en /api/v1/appointments/challenge, "
    "resuélvelo y envía la solución en la cabecera X-Proof-Of-Work."
)
INVALID = (
    "La prueba de trabajo no es válida, ya venció o ya se usó: pide un desafío nuevo en "
    "/api/v1/appointments/challenge y resuélvelo."
)
GUARDED = ["book", "hold", "waitlist"]
# The audit rows each guarded endpoint writes when it succeeds.
AUDITED = {
    "book": ["appointments.confirm", "appointments.hold"],
    "hold": ["appointments.hold"],
    "waitlist": ["appointments.waitlist_join"],
}


@pytest.fixture
def guarded(setup: Any, settings: Any) -> Any:
    settings.APPOINTMENTS = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}
    return setup


@pytest.fixture
def slots(guarded: Any) -> list[Slot]:
    return actions.open_day(guarded.center, guarded.service, DAY)


def request(client: Client, what: str, setup: Any, slot: Slot, **headers: Any) -> Any:
    """POST one of the guarded endpoints for DNI (the waitlist of DAY)."""
    person = {"document_type": "dni", "document_number": DNI, "email": "ana@example.pe"}
    path, body = {
        "book": ("/appointments", {"slot": slot.pk, "service": setup.service.pk, **person}),
        "hold": ("/appointments/holds", {"slot": slot.pk, "service": setup.service.pk}),
        "waitlist": (
            "/appointments/waitlist",
            {
                "center": setup.center.pk,
                "service": setup.service.pk,
                "date": "2026-12-02",
                **person,
            },
        ),
    }[what]
    return client.post(f"/api/v1{path}", body, content_type="application/json", **headers)


def solved(client: Client) -> str:
    return pow.solve(client.get(CHALLENGE).json())


def written() -> tuple[int, int, int, int, int]:
    """Bookings, places taken, waitlist entries, audit rows, spent proofs."""
    return (
        Booking.objects.count(),
        sum(Slot.objects.values_list("taken", flat=True)),
        WaitlistEntry.objects.count(),
        AuditLog.objects.count(),
        SpentChallenge.objects.count(),
    )


def tampered(payload: str, **change: Any) -> str:
    data = json.loads(base64.b64decode(payload))
    data.update({k: v(data[k]) for k, v in change.items()})
    return base64.b64encode(json.dumps(data).encode()).decode()


class TestApiProofOfWork:
    def test_it_serves_fresh_uncached_challenges_of_the_configured_size(
        self, client: Client, guarded: Any
    ) -> None:
        first = client.get(CHALLENGE)
        second = client.get(CHALLENGE)

        assert first.status_code == 200
        assert sorted(first.json()) == ["algorithm", "challenge", "maxnumber", "salt", "signature"]
        assert (first.json()["algorithm"], first.json()["maxnumber"]) == ("SHA-256", 10)
        assert first.json()["salt"] != second.json()["salt"]
        assert "no-store" in first["Cache-Control"]
        assert written() == (0, 0, 0, 0, 0)

    @pytest.mark.parametrize("what", GUARDED)
    def test_it_refuses_an_anonymous_client_without_a_proof_and_writes_nothing(
        self, client: Client, guarded: Any, slots: list[Slot], what: str
    ) -> None:
        response = request(client, what, guarded, slots[0])

        assert response.status_code == 403
        assert response.json() == {"detail": MISSING, "code": "pow_required"}
        assert written() == (0, 0, 0, 0, 0)

    @pytest.mark.parametrize("what", GUARDED)
    @pytest.mark.parametrize("case", ["garbage", "forged", "wrong number", "expired"])
    def test_it_refuses_a_bad_proof_and_writes_nothing(
        self, client: Client, guarded: Any, slots: list[Slot], clock: Any, what: str, case: str
    ) -> None:
        proof = solved(client)
        if case == "garbage":
            proof = "not-base64!"
        if case == "forged":
            proof = tampered(proof, signature=lambda _: "0" * 64)
        if case == "wrong number":
            proof = tampered(proof, number=lambda n: n + 11)
        if case == "expired":
            clock.shift(dt.timedelta(seconds=601))

        response = request(client, what, guarded, slots[0], HTTP_X_PROOF_OF_WORK=proof)

        assert response.status_code == 403, case
        assert response.json() == {"detail": INVALID, "code": "pow_invalid"}
        assert written() == (0, 0, 0, 0, 0)

    @pytest.mark.parametrize(
        ("what", "expected"),
        [("book", (1, 1, 0, 2, 1)), ("hold", (1, 1, 0, 1, 1)), ("waitlist", (0, 0, 1, 1, 1))],
    )
    def test_it_accepts_a_valid_proof_and_spends_it(
        self, client: Client, guarded: Any, slots: list[Slot], what: str, expected: tuple
    ) -> None:
        response = request(client, what, guarded, slots[0], HTTP_X_PROOF_OF_WORK=solved(client))

        assert response.status_code == 201
        assert written() == expected

    @pytest.mark.parametrize("what", GUARDED)
    def test_it_refuses_a_replayed_proof(
        self, client: Client, guarded: Any, slots: list[Slot], what: str
    ) -> None:
        proof = solved(client)
        assert (
            request(client, "hold", guarded, slots[0], HTTP_X_PROOF_OF_WORK=proof).status_code
            == 201
        )
        before = written()

        response = request(client, what, guarded, slots[1], HTTP_X_PROOF_OF_WORK=proof)

        assert response.status_code == 403
        assert response.json()["code"] == "pow_invalid"
        assert written() == before
        assert Booking.objects.get().slot_id == slots[0].pk

    def test_a_refused_request_counts_nothing_against_the_address_limit(
        self, client: Client, guarded: Any, slots: list[Slot], settings: Any
    ) -> None:
        settings.APPOINTMENTS = {**settings.APPOINTMENTS, "MAX_PER_ADDRESS_DAY": 1}
        for _ in range(3):
            assert request(client, "hold", guarded, slots[0]).status_code == 403

        response = request(client, "hold", guarded, slots[0], HTTP_X_PROOF_OF_WORK=solved(client))

        assert response.status_code == 201
        again = request(client, "hold", guarded, slots[1], HTTP_X_PROOF_OF_WORK=solved(client))
        assert (again.status_code, again.json()["code"]) == (409, "limit_address")

    @pytest.mark.parametrize("what", GUARDED)
    def test_an_operators_key_needs_no_proof(
        self, guarded: Any, slots: list[Slot], what: str
    ) -> None:
        operator = make_user("olga", Role.CALL_CENTER)
        _, key = create_key(operator, "Central Aló MAC")

        response = request(Client(), what, guarded, slots[0], HTTP_AUTHORIZATION=f"Bearer {key}")

        assert response.status_code == 201
        assert SpentChallenge.objects.count() == 0
        audited = AuditLog.objects.exclude(action="accounts.apikey.created")
        assert sorted(audited.values_list("action", flat=True)) == AUDITED[what]
        assert {row.actor for row in audited} == {operator}

    @pytest.mark.parametrize("what", GUARDED)
    def test_a_signed_in_operator_needs_no_proof(
        self, guarded: Any, slots: list[Slot], what: str
    ) -> None:
        operator = make_user("olga", Role.CALL_CENTER)
        client = Client(enforce_csrf_checks=True)
        client.login(username="olga", password=PASSWORD)
        client.cookies["csrftoken"] = "k" * 32

        response = request(client, what, guarded, slots[0], HTTP_X_CSRFTOKEN="k" * 32)

        assert response.status_code == 201
        assert SpentChallenge.objects.count() == 0
        assert sorted(AuditLog.objects.values_list("action", flat=True)) == AUDITED[what]
        assert {row.actor for row in AuditLog.objects.all()} == {operator}

    def test_a_key_of_another_role_may_not_join_a_waitlist(
        self, guarded: Any, slots: list[Slot]
    ) -> None:
        advisor = make_user(
            "ramon", Role.ADVISOR, entity=guarded.service.entity, center=guarded.center
        )
        _, key = create_key(advisor, "Tableta")
        before = written()

        response = request(
            Client(), "waitlist", guarded, slots[0], HTTP_AUTHORIZATION=f"Bearer {key}"
        )

        assert (response.status_code, response.json()["code"]) == (403, "role")
        assert written() == before

    def test_it_asks_no_proof_to_confirm_reschedule_cancel_or_look_up(
        self, client: Client, guarded: Any, slots: list[Slot]
    ) -> None:
        held = request(client, "hold", guarded, slots[0], HTTP_X_PROOF_OF_WORK=solved(client))
        person = {"document_type": "dni", "document_number": OTHER_DNI}

        def post(path: str, body: dict[str, Any]) -> Any:
            return client.post(f"/api/v1/appointments{path}", body, content_type="application/json")

        confirmed = post(f"/holds/{held.json()['token']}/confirm", {**person, "email": "b@x.pe"})
        code = confirmed.json()["code"]
        looked_up = post(f"/{code}/lookup", person)
        moved = post(f"/{code}/reschedule", {**person, "slot": slots[3].pk})
        cancelled = post(f"/{code}/cancel", person)

        assert [r.status_code for r in (confirmed, looked_up, moved, cancelled)] == [
            201,
            200,
            200,
            200,
        ]
        assert (moved.json()["slot"], cancelled.json()["status"]) == (slots[3].pk, "cancelled")
        assert SpentChallenge.objects.count() == 1

    def test_it_refuses_in_quechua_to_a_client_that_asks_for_it(
        self, client: Client, guarded: Any, slots: list[Slot]
    ) -> None:
        response = request(client, "hold", guarded, slots[0], HTTP_ACCEPT_LANGUAGE="qu")

        assert response.status_code == 403
        assert response.json() == {
            "detail": "Llamk'ay pruebaqa manam kanchu: /api/v1/appointments/challenge nisqapi "
            "huk desafíota mañakuy, chayta paskay, hinaspa paskasqaykita X-Proof-Of-Work "
            "cabecerapi apachimuy.",
            "code": "pow_required",
        }
        assert written() == (0, 0, 0, 0, 0)

    @pytest.mark.parametrize("what", GUARDED)
    def test_it_asks_no_proof_when_switched_off(
        self, client: Client, guarded: Any, slots: list[Slot], settings: Any, what: str
    ) -> None:
        settings.APPOINTMENTS = {"POW_REQUIRED": False}

        response = request(client, what, guarded, slots[0])

        assert response.status_code == 201
        assert SpentChallenge.objects.count() == 0

    def test_the_spec_documents_the_challenge_and_the_header(self, client: Client) -> None:
        paths = client.get("/api/v1/openapi.json").json()["paths"]

        def header(path: str) -> list[str]:
            return [
                p["name"] for p in paths[path]["post"].get("parameters", []) if p["in"] == "header"
            ]

        challenge = paths["/api/v1/appointments/challenge"]["get"]
        assert "X-Proof-Of-Work" in challenge["description"]
        for path in (
            "/api/v1/appointments",
            "/api/v1/appointments/holds",
            "/api/v1/appointments/waitlist",
        ):
            assert header(path) == ["X-Proof-Of-Work"], path
            assert "403 pow_required" in paths[path]["post"]["description"], path
        for path in (
            "/api/v1/appointments/holds/{token}/confirm",
            "/api/v1/appointments/{code}/reschedule",
            "/api/v1/appointments/{code}/cancel",
            "/api/v1/appointments/{code}/lookup",
        ):
            assert header(path) == [], path
