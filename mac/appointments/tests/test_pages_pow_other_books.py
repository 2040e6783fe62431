"""The booking pages take a proof of work only of their own challenge: one
solved for the complaints book (30 minutes, not 10) or the compliments book
holds no place and joins no waitlist, with the page's usual refusal, and is
not spent."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from mac.appointments.models import Booking, WaitlistEntry
from mac.appointments.tests.pages import FIRST_FREE, Citas, contact_data, region, slot_at, take_data
from mac.core import pow
from mac.core.models import SpentChallenge

from .test_pages_pow import REFUSED, guarded, morning

__all__ = ["guarded", "morning"]
OTHER_BOOKS = [
    "/reclamaciones/desafio/",
    "/felicitaciones/desafio/",
    "/api/v1/complaints/challenge",
]
WAITLIST_REFUSED = (
    "No pudimos completar la verificación de seguridad de tu navegador. "
    "Espera unos segundos y vuelve a enviar el formulario."
)


@pytest.fixture
def small_quality_challenges(settings: Any) -> None:
    settings.QUALITY = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}


def solved(client: Client, challenge: str) -> str:
    return pow.solve(client.get(challenge).json())


@pytest.mark.usefixtures("small_quality_challenges")
class TestAnotherBooksProofOnThePages:
    @pytest.mark.parametrize("challenge", OTHER_BOOKS)
    def test_it_holds_nothing(self, client: Client, guarded: Citas, challenge: str) -> None:
        slot = slot_at(guarded, FIRST_FREE)

        response = client.post(
            reverse("appointments:take"), take_data(guarded, slot, pow=solved(client, challenge))
        )

        assert response.status_code == 400
        assert region(response, "aviso") == REFUSED
        assert (Booking.objects.count(), SpentChallenge.objects.count()) == (0, 0)
        slot.refresh_from_db()
        assert slot.taken == 0

    @pytest.mark.parametrize("challenge", OTHER_BOOKS)
    def test_it_joins_no_waitlist(self, client: Client, guarded: Citas, challenge: str) -> None:
        data = {
            "servicio": str(guarded.service.pk),
            "centro": "lima-norte",
            "dia": "2026-12-02",
            "pow": solved(client, challenge),
            **contact_data(),
        }

        response = client.post(reverse("appointments:waitlist"), data)

        assert response.status_code == 400
        assert escape(WAITLIST_REFUSED) in response.content.decode()
        assert (WaitlistEntry.objects.count(), SpentChallenge.objects.count()) == (0, 0)

    def test_its_own_challenge_still_holds(self, client: Client, guarded: Citas) -> None:
        slot = slot_at(guarded, FIRST_FREE)

        response = client.post(
            reverse("appointments:take"),
            take_data(guarded, slot, pow=solved(client, reverse("appointments:pow"))),
        )

        assert response.status_code == 302
        assert (Booking.objects.get().status, SpentChallenge.objects.count()) == ("held", 1)
