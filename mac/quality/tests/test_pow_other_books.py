"""A proof of work counts only for the book whose challenge it solved: the
claim sheet and POST /api/v1/complaints refuse a solution of the
appointments' challenge (shorter-lived, smaller) or of the compliments
book's, the compliment form one of the complaints book's, each with its
usual refusal, and nothing is written or spent; each book's own proofs
still pass."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Max
from django.test import Client
from django.utils.html import escape

from mac.core import pow
from mac.core.models import AuditLog, SpentChallenge
from mac.quality.models import Complaint, Compliment

from .pages import sheet_post
from .test_api_pow import INVALID, NOTHING, body, written
from .test_compliments import post as compliment_post

pytestmark = pytest.mark.django_db
SHEET_REFUSED = (
    "No pudimos completar la verificación de seguridad de tu navegador. "
    "Espera unos segundos y vuelve a enviar el reclamo."
)
COMPLIMENT_REFUSED = (
    "No pudimos completar la verificación de seguridad de tu navegador. "
    "Espera unos segundos y vuelve a enviar."
)
APPOINTMENTS = ["/citas/desafio/", "/api/v1/appointments/challenge"]


@pytest.fixture
def guarded(world: Any, settings: Any) -> Any:
    settings.QUALITY = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}
    settings.APPOINTMENTS = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}
    world.audited_before = AuditLog.objects.aggregate(last=Max("pk"))["last"] or 0
    return world


def solved(client: Client, challenge: str) -> str:
    return pow.solve(client.get(challenge).json())


class TestComplaintsApi:
    @pytest.mark.parametrize("challenge", [*APPOINTMENTS, "/felicitaciones/desafio/"])
    def test_it_refuses_another_books_proof_and_writes_nothing(
        self, client: Client, guarded: Any, challenge: str
    ) -> None:
        proof = solved(client, challenge)

        response = client.post(
            "/api/v1/complaints",
            body(guarded),
            content_type="application/json",
            HTTP_X_PROOF_OF_WORK=proof,
        )

        assert (response.status_code, response.json()) == (
            403,
            {"detail": INVALID, "code": "pow_invalid"},
        )
        assert written(guarded) == NOTHING

    @pytest.mark.parametrize(
        "challenge", ["/api/v1/complaints/challenge", "/reclamaciones/desafio/"]
    )
    def test_it_takes_a_proof_of_its_own_books_challenges(
        self, client: Client, guarded: Any, challenge: str
    ) -> None:
        response = client.post(
            "/api/v1/complaints",
            body(guarded),
            content_type="application/json",
            HTTP_X_PROOF_OF_WORK=solved(client, challenge),
        )

        assert response.status_code == 201
        assert (Complaint.objects.count(), SpentChallenge.objects.count()) == (1, 1)


class TestClaimSheet:
    @pytest.mark.parametrize("challenge", [*APPOINTMENTS, "/felicitaciones/desafio/"])
    def test_it_refuses_another_books_proof_with_its_message(
        self, client: Client, guarded: Any, challenge: str
    ) -> None:
        data = sheet_post(guarded.personas, pow=solved(client, challenge))

        response = client.post("/reclamaciones/hoja/", data)

        assert response.status_code == 400
        assert escape(SHEET_REFUSED) in response.content.decode()
        assert (Complaint.objects.count(), SpentChallenge.objects.count()) == (0, 0)

    def test_the_proof_refused_elsewhere_still_counts_at_home(
        self, client: Client, guarded: Any
    ) -> None:
        proof = solved(client, "/reclamaciones/desafio/")
        compliment = compliment_post(client, guarded, pow=proof)

        response = client.post("/reclamaciones/hoja/", sheet_post(guarded.personas, pow=proof))

        assert (compliment.status_code, response.status_code) == (400, 302)
        assert (Complaint.objects.count(), Compliment.objects.count()) == (1, 0)
        assert SpentChallenge.objects.count() == 1


class TestComplimentForm:
    @pytest.mark.parametrize("challenge", [*APPOINTMENTS, "/reclamaciones/desafio/"])
    def test_it_refuses_another_books_proof_with_its_message(
        self, client: Client, guarded: Any, challenge: str
    ) -> None:
        response = compliment_post(client, guarded, pow=solved(client, challenge))

        assert response.status_code == 400
        assert escape(COMPLIMENT_REFUSED) in response.content.decode()
        assert (Compliment.objects.count(), SpentChallenge.objects.count()) == (0, 0)

    def test_it_takes_a_proof_of_its_own_challenge(self, client: Client, guarded: Any) -> None:
        response = compliment_post(client, guarded, pow=solved(client, "/felicitaciones/desafio/"))

        assert response.status_code == 302
        assert (Compliment.objects.count(), SpentChallenge.objects.count()) == (1, 1)
