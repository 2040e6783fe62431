"""What the claim sheet asks a citizen's browser to prove before filing, the
API asks an anonymous client too: without a valid, unspent proof of work
`POST /api/v1/complaints` is a 403 and nothing is written (no claim, no code
number taken, no audit row, nothing counted against the address's limit);
staff who file for citizens (API key or session) need none, and looking a
claim up needs none either."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.db.models import Max
from django.test import Client
from django_tasks_db.models import DBTaskResult

from mac.accounts.apikeys import create_key
from mac.accounts.models import Role
from mac.core import pow
from mac.core.models import AuditLog, SpentChallenge
from mac.core.testing import CITIZEN_DNI, PASSWORD, make_user
from mac.quality.models import CodeSequence, Complaint, ComplaintEvent
from mac.quality.testing import COMAS

from .conftest import stored_files

pytestmark = pytest.mark.django_db
CHALLENGE = "/api/v1/complaints/challenge"
MISSING = (
    "Falta la prueba de trabajo: pide un desafío en /api/v1/complaints/challenge, "
    "resuélvelo y envía la solución en la cabecera X-Proof-Of-Work."
)
INVALID = (
    "La prueba de trabajo no es válida, ya venció o ya se usó: pide un desafío nuevo en "
    "/api/v1/complaints/challenge y resuélvelo."
)


@pytest.fixture
def guarded(world: Any, settings: Any) -> Any:
    settings.QUALITY = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}
    # The audit rows of the world's making (its officers) are not the test's.
    world.audited_before = AuditLog.objects.aggregate(last=Max("pk"))["last"] or 0
    return world


def body(world: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "entity": world.personas.reniec.pk,
        "channel": "center",
        "center": world.personas.lima_norte.pk,
        "category": "demora",
        "full_name": "Ana Quispe Mamani",
        "document_type": "dni",
        "document_number": CITIZEN_DNI,
        "address": "Jr. Los Pinos 123",
        "district": COMAS,
        "email": "ana@example.pe",
        "facts": "Esperé tres horas.",
        "request": "Que mejoren.",
        "consent_email": True,
    }
    data.update(changes)
    return data


def file(client: Client, world: Any, **headers: Any) -> Any:
    return client.post(
        "/api/v1/complaints", body(world), content_type="application/json", **headers
    )


def solved(client: Client) -> str:
    return pow.solve(client.get(CHALLENGE).json())


def written(world: Any) -> tuple[int, int, int, int, int, int, int]:
    """Claims, code numbers taken, claim events, audit rows, tasks enqueued,
    stored files, spent proofs."""
    return (
        Complaint.objects.count(),
        sum(CodeSequence.objects.values_list("last_number", flat=True)),
        ComplaintEvent.objects.count(),
        AuditLog.objects.filter(pk__gt=world.audited_before)
        .exclude(action="accounts.apikey.created")
        .count(),
        DBTaskResult.objects.count(),
        len(stored_files(world.media)),
        SpentChallenge.objects.count(),
    )


NOTHING = (0, 0, 0, 0, 0, 0, 0)
# One claim: its code number, its event, its audit row, three tasks (the
# constancia and the two deadline alerts); no files through the API.
ONE_CLAIM = (1, 1, 1, 1, 3, 0)


def tampered(payload: str, **change: Any) -> str:
    data = json.loads(base64.b64decode(payload))
    data.update({k: v(data[k]) for k, v in change.items()})
    return base64.b64encode(json.dumps(data).encode()).decode()


class TestComplaintsApiProofOfWork:
    def test_it_serves_fresh_uncached_challenges_of_the_books_size(
        self, client: Client, guarded: Any
    ) -> None:
        first = client.get(CHALLENGE)
        second = client.get(CHALLENGE)

        assert first.status_code == 200
        assert sorted(first.json()) == ["algorithm", "challenge", "maxnumber", "salt", "signature"]
        assert (first.json()["algorithm"], first.json()["maxnumber"]) == ("SHA-256", 10)
        assert first.json()["salt"] != second.json()["salt"]
        assert "no-store" in first["Cache-Control"]
        assert written(guarded) == NOTHING

    def test_it_refuses_an_anonymous_client_without_a_proof_and_writes_nothing(
        self, client: Client, guarded: Any
    ) -> None:
        response = file(client, guarded)

        assert response.status_code == 403
        assert response.json() == {"detail": MISSING, "code": "pow_required"}
        assert written(guarded) == NOTHING

    @pytest.mark.parametrize("case", ["garbage", "forged", "wrong number", "expired"])
    def test_it_refuses_a_bad_proof_and_writes_nothing(
        self, client: Client, guarded: Any, clock: Any, case: str
    ) -> None:
        proof = solved(client)
        if case == "garbage":
            proof = "not-base64!"
        if case == "forged":
            proof = tampered(proof, signature=lambda _: "0" * 64)
        if case == "wrong number":
            proof = tampered(proof, number=lambda n: n + 11)
        if case == "expired":
            clock.shift(dt.timedelta(seconds=1801))

        response = file(client, guarded, HTTP_X_PROOF_OF_WORK=proof)

        assert response.status_code == 403, case
        assert response.json() == {"detail": INVALID, "code": "pow_invalid"}
        assert written(guarded) == NOTHING

    def test_it_accepts_a_valid_proof_and_spends_it(self, client: Client, guarded: Any) -> None:
        response = file(client, guarded, HTTP_X_PROOF_OF_WORK=solved(client))

        assert response.status_code == 201
        assert response.json()["code"] == "RENIEC-2026-000001"
        assert written(guarded) == (*ONE_CLAIM, 1)
        complaint = Complaint.objects.get()
        assert (complaint.filed_by, complaint.client_address) == (None, "127.0.0.1")

    def test_a_refused_request_takes_no_code_number(self, client: Client, guarded: Any) -> None:
        """Codes are correlative (DS 007-2020-PCM): a refusal leaves no gap."""
        assert file(client, guarded).status_code == 403
        assert file(client, guarded, HTTP_X_PROOF_OF_WORK="x").status_code == 403

        response = file(client, guarded, HTTP_X_PROOF_OF_WORK=solved(client))

        assert response.json()["code"] == "RENIEC-2026-000001"
        assert list(CodeSequence.objects.values_list("last_number", flat=True)) == [1]

    def test_it_refuses_a_replayed_proof(self, client: Client, guarded: Any) -> None:
        proof = solved(client)
        assert file(client, guarded, HTTP_X_PROOF_OF_WORK=proof).status_code == 201
        before = written(guarded)

        response = file(client, guarded, HTTP_X_PROOF_OF_WORK=proof)

        assert response.status_code == 403
        assert response.json() == {"detail": INVALID, "code": "pow_invalid"}
        assert written(guarded) == before == (*ONE_CLAIM, 1)

    def test_a_refused_request_counts_nothing_against_the_address_limit(
        self, client: Client, guarded: Any, settings: Any
    ) -> None:
        settings.QUALITY = {**settings.QUALITY, "MAX_PER_ADDRESS_DAY": 1}
        for _ in range(3):
            assert file(client, guarded).status_code == 403

        response = file(client, guarded, HTTP_X_PROOF_OF_WORK=solved(client))

        assert response.status_code == 201
        again = file(client, guarded, HTTP_X_PROOF_OF_WORK=solved(client))
        assert (again.status_code, again.json()["code"]) == (429, "limit_address")
        assert Complaint.objects.count() == 1

    def test_an_advisors_key_needs_no_proof_and_files_for_their_center(self, guarded: Any) -> None:
        p = guarded.personas
        _, key = create_key(p.bob, "Tableta de orientación")

        response = file(Client(), guarded, HTTP_AUTHORIZATION=f"Bearer {key}")

        assert response.status_code == 201
        assert written(guarded) == (*ONE_CLAIM, 0)
        complaint = Complaint.objects.get()
        assert (
            complaint.filed_by,
            complaint.channel,
            complaint.center,
            complaint.client_address,
        ) == (p.bob, "center", p.lima_norte, None)
        assert AuditLog.objects.get(action="quality.complaint.filed").actor == p.bob

    def test_a_signed_in_operator_needs_no_proof_and_files_for_the_phone(
        self, guarded: Any
    ) -> None:
        operator = make_user("ana-op", Role.CALL_CENTER)
        client = Client(enforce_csrf_checks=True)
        client.login(username="ana-op", password=PASSWORD)
        client.cookies["csrftoken"] = "k" * 32

        response = file(client, guarded, HTTP_X_CSRFTOKEN="k" * 32)

        assert response.status_code == 201
        assert written(guarded) == (*ONE_CLAIM, 0)
        complaint = Complaint.objects.get()
        assert (complaint.filed_by, complaint.channel, complaint.center) == (
            operator,
            "phone",
            None,
        )

    def test_staff_filings_count_nothing_against_the_address_limit(
        self, client: Client, guarded: Any, settings: Any
    ) -> None:
        """Staff and citizens may share an address (a center's network): as on
        the staff sheet, a claim staff file keeps no address."""
        settings.QUALITY = {**settings.QUALITY, "MAX_PER_ADDRESS_DAY": 1}
        _, key = create_key(guarded.personas.bob, "Tableta de orientación")
        for _ in range(2):
            assert file(Client(), guarded, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 201

        response = file(client, guarded, HTTP_X_PROOF_OF_WORK=solved(client))

        assert response.status_code == 201
        assert Complaint.objects.count() == 3

    def test_a_session_without_its_csrf_token_is_refused(self, guarded: Any) -> None:
        make_user("ana-op", Role.CALL_CENTER)
        client = Client(enforce_csrf_checks=True)
        client.login(username="ana-op", password=PASSWORD)

        response = file(client, guarded)

        assert response.status_code == 403
        assert response.json() == {"detail": "Falta el token CSRF de la sesión.", "code": "csrf"}
        assert written(guarded) == NOTHING

    @pytest.mark.parametrize("who", ["carol", "dave"])
    def test_credentials_of_a_role_that_does_not_file_are_refused(
        self, guarded: Any, who: str
    ) -> None:
        _, key = create_key(getattr(guarded.personas, who), "Integración")

        response = file(Client(), guarded, HTTP_AUTHORIZATION=f"Bearer {key}")

        assert response.status_code == 403
        assert response.json() == {
            "detail": "Su rol no registra reclamos por los ciudadanos.",
            "code": "role_cannot_file",
        }
        assert written(guarded) == NOTHING

    def test_a_wrong_key_is_a_401(self, guarded: Any) -> None:
        response = file(Client(), guarded, HTTP_AUTHORIZATION="Bearer mac_0000_nada")

        assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
        assert written(guarded) == NOTHING

    def test_it_asks_no_proof_to_look_a_claim_up(self, client: Client, guarded: Any) -> None:
        code = file(client, guarded, HTTP_X_PROOF_OF_WORK=solved(client)).json()["code"]

        response = client.post(
            f"/api/v1/complaints/{code}/lookup",
            {"document_type": "dni", "document_number": CITIZEN_DNI},
            content_type="application/json",
        )

        assert (response.status_code, response.json()["code"]) == (200, code)
        assert SpentChallenge.objects.count() == 1

    def test_it_refuses_in_quechua_to_a_client_that_asks_for_it(
        self, client: Client, guarded: Any
    ) -> None:
        response = file(client, guarded, HTTP_ACCEPT_LANGUAGE="qu")

        assert response.status_code == 403
        assert response.json() == {
            "detail": "Llamk'ay pruebaqa manam kanchu: /api/v1/complaints/challenge nisqapi "
            "huk desafíota mañakuy, chayta paskay, hinaspa paskasqaykita X-Proof-Of-Work "
            "cabecerapi apachimuy.",
            "code": "pow_required",
        }
        assert written(guarded) == NOTHING

    def test_it_asks_no_proof_when_switched_off(
        self, client: Client, guarded: Any, settings: Any
    ) -> None:
        settings.QUALITY = {"POW_REQUIRED": False}

        response = file(client, guarded)

        assert response.status_code == 201
        assert written(guarded) == (*ONE_CLAIM, 0)

    def test_the_spec_documents_the_challenge_and_the_header(self, client: Client) -> None:
        paths = client.get("/api/v1/openapi.json").json()["paths"]

        def header(path: str) -> list[str]:
            return [
                p["name"] for p in paths[path]["post"].get("parameters", []) if p["in"] == "header"
            ]

        challenge = paths["/api/v1/complaints/challenge"]["get"]
        assert "X-Proof-Of-Work" in challenge["description"]
        assert header("/api/v1/complaints") == ["X-Proof-Of-Work"]
        described = paths["/api/v1/complaints"]["post"]["description"]
        assert "GET /api/v1/complaints/challenge" in described
        assert "403 pow_required" in described
        assert "403 pow_invalid" in described
        assert "403 role_cannot_file" in described
        assert header("/api/v1/complaints/{code}/lookup") == []
        assert (
            "Sin prueba de trabajo"
            in paths["/api/v1/complaints/{code}/lookup"]["post"]["description"]
        )
