"""Holding a slot and joining a waitlist from the portal need a proof of
work; a missing, forged or replayed one holds nothing."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking, WaitlistEntry
from mac.appointments.tests import pages
from mac.appointments.tests.pages import FIRST_FREE, Citas, contact_data, region, slot_at, take_data
from mac.core import pow
from mac.core.models import SpentChallenge

morning = pages.morning
REFUSED = (
    "No pudimos completar la verificación de seguridad de tu navegador. "
    "Espera unos segundos y vuelve a elegir el horario."
)


@pytest.fixture
def guarded(db: None, morning: Any, settings: Any) -> Citas:
    settings.APPOINTMENTS = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 2000}
    return pages.build_citas()


def solved(client: Client) -> str:
    challenge = client.get(reverse("appointments:pow")).json()
    return pow.solve(challenge)


class TestProofOfWork:
    def test_it_serves_fresh_challenges_of_the_configured_size(
        self, client: Client, guarded: Citas
    ) -> None:
        first = client.get(reverse("appointments:pow"))
        second = client.get(reverse("appointments:pow"))

        assert first.status_code == 200
        assert first["Cache-Control"].startswith("max-age=0")
        assert first.json()["maxnumber"] == 2000
        assert first.json()["salt"] != second.json()["salt"]

    def test_it_asks_the_browser_to_solve_one_before_holding(
        self, client: Client, guarded: Citas
    ) -> None:
        body = client.get(pages.day_url(guarded)).content.decode()

        assert 'data-pow="/citas/desafio/"' in body
        assert '<input type="hidden" name="pow" value="">' in body
        assert "mac/pow.js" in body

    def test_it_holds_with_a_valid_solution(self, client: Client, guarded: Citas) -> None:
        slot = slot_at(guarded, FIRST_FREE)

        response = client.post(
            reverse("appointments:take"), take_data(guarded, slot, pow=solved(client))
        )

        assert response.status_code == 302
        assert Booking.objects.get().status == "held"
        assert SpentChallenge.objects.count() == 1

    @pytest.mark.parametrize(
        "case",
        ["missing", "garbage", "forged", "wrong number"],
    )
    def test_it_refuses_a_bad_solution_and_holds_nothing(
        self, client: Client, guarded: Citas, case: str
    ) -> None:
        slot = slot_at(guarded, FIRST_FREE)
        payload = json.loads(base64.b64decode(solved(client)))
        if case == "forged":
            payload["signature"] = "0" * 64
        if case == "wrong number":
            payload["number"] += 1
        value = {
            "missing": "",
            "garbage": "not-base64!",
        }.get(case, base64.b64encode(json.dumps(payload).encode()).decode())

        response = client.post(reverse("appointments:take"), take_data(guarded, slot, pow=value))

        assert response.status_code == 400
        assert region(response, "aviso") == REFUSED
        assert not Booking.objects.exists()
        slot.refresh_from_db()
        assert slot.taken == 0

    def test_it_refuses_a_replayed_solution(self, client: Client, guarded: Citas) -> None:
        first, second = (
            slot_at(guarded, FIRST_FREE),
            slot_at(guarded, FIRST_FREE.replace(minute=30)),
        )
        payload = solved(client)
        client.post(reverse("appointments:take"), take_data(guarded, first, pow=payload))

        response = client.post(
            reverse("appointments:take"), take_data(guarded, second, pow=payload)
        )

        assert response.status_code == 400
        assert [b.slot_id for b in Booking.objects.all()] == [first.pk]
        second.refresh_from_db()
        assert second.taken == 0

    def test_it_holds_without_a_solution_when_switched_off(
        self, client: Client, guarded: Citas, settings: Any
    ) -> None:
        settings.APPOINTMENTS = {"POW_REQUIRED": False}
        slot = slot_at(guarded, FIRST_FREE)

        response = client.post(reverse("appointments:take"), take_data(guarded, slot))

        assert response.status_code == 302
        assert "data-pow" not in client.get(pages.day_url(guarded)).content.decode()

    def test_it_guards_the_waitlist_too(self, client: Client, guarded: Citas) -> None:
        data = {
            "servicio": str(guarded.service.pk),
            "centro": "lima-norte",
            "dia": "2026-12-02",
            **contact_data(),
        }

        refused = client.post(reverse("appointments:waitlist"), data)
        accepted = client.post(reverse("appointments:waitlist"), {**data, "pow": solved(client)})

        assert refused.status_code == 400
        assert accepted.status_code == 302
        assert WaitlistEntry.objects.count() == 1
