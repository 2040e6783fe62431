"""A proof of work counts only for the book whose challenge it solved: the
appointments API refuses a solution of the complaints book's challenge
(which lives 30 minutes, not 10) or of the compliments book's with 403
pow_invalid, writing and spending nothing, and the proof still counts where
it belongs."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mac.appointments.models import Slot
from mac.core import pow
from mac.quality.models import Compliment

from .test_api_pow import GUARDED, INVALID, guarded, request, slots, written

__all__ = ["guarded", "slots"]
pytestmark = pytest.mark.django_db
OTHER_BOOKS = [
    "/api/v1/complaints/challenge",
    "/reclamaciones/desafio/",
    "/felicitaciones/desafio/",
]


@pytest.fixture
def small_quality_challenges(settings: Any) -> None:
    settings.QUALITY = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}


@pytest.mark.usefixtures("small_quality_challenges")
class TestAnotherBooksProof:
    @pytest.mark.parametrize("what", GUARDED)
    @pytest.mark.parametrize("challenge", OTHER_BOOKS)
    def test_it_is_refused_and_nothing_is_written(
        self, client: Client, guarded: Any, slots: list[Slot], what: str, challenge: str
    ) -> None:
        proof = pow.solve(client.get(challenge).json())

        response = request(client, what, guarded, slots[0], HTTP_X_PROOF_OF_WORK=proof)

        assert (response.status_code, response.json()) == (
            403,
            {"detail": INVALID, "code": "pow_invalid"},
        )
        assert written() == (0, 0, 0, 0, 0)

    def test_it_still_counts_in_its_own_book(
        self, client: Client, guarded: Any, slots: list[Slot]
    ) -> None:
        proof = pow.solve(client.get("/felicitaciones/desafio/").json())
        request(client, "hold", guarded, slots[0], HTTP_X_PROOF_OF_WORK=proof)

        response = client.post(
            "/felicitaciones/",
            {
                "entity": str(guarded.personas.reniec.pk),
                "channel": "center",
                "center": str(guarded.center.pk),
                "text": "Me atendieron con paciencia.",
                "document_type": "dni",
                "pow": proof,
            },
        )

        assert response.status_code == 302
        assert Compliment.objects.count() == 1
        assert written()[:3] == (0, 0, 0)

    @pytest.mark.parametrize("what", GUARDED)
    def test_a_proof_of_its_own_pages_challenge_is_taken(
        self, client: Client, guarded: Any, slots: list[Slot], what: str
    ) -> None:
        # The booking pages and the API are one book: one purpose, one size.
        proof = pow.solve(client.get("/citas/desafio/").json())

        response = request(client, what, guarded, slots[0], HTTP_X_PROOF_OF_WORK=proof)

        assert response.status_code == 201
        assert written()[4] == 1
