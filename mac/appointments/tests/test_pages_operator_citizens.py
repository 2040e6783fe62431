"""Only an operator of Aló MAC gets the operator mode of the booking pages:
an anonymous citizen, and a signed-in user of another role or a deactivated
operator, book as a citizen does (proof of work, web channel, the
per-address limit)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mac.accounts.models import Role, User
from mac.appointments import actions
from mac.appointments.models import Booking, Slot
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    FIRST_FREE,
    Citas,
    contact_data,
    make_operator,
    region,
    signed_in,
    slot_at,
    take_data,
    text,
)
from mac.core import pow
from mac.core.models import AuditLog

morning = pages.morning
ADDRESS_LIMIT = 20
POW_REFUSED = (
    "No pudimos completar la verificación de seguridad de tu navegador. "
    "Espera unos segundos y vuelve a elegir el horario."
)
ADDRESS_REFUSED = "Demasiadas reservas desde esta conexión. Inténtalo mañana o llama a Aló MAC."


@pytest.fixture
def guarded(db: None, morning: Any, settings: Any) -> Citas:
    settings.APPOINTMENTS = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 2000}
    return pages.build_citas()


def solved(client: Client) -> str:
    return pow.solve(client.get(reverse("appointments:pow")).json())


def take(client: Client, citas: Citas, slot: Slot, **extra: str) -> Any:
    return client.post(reverse("appointments:take"), take_data(citas, slot, **extra))


def not_operators(citas: Citas) -> dict[str, User]:
    return {
        "advisor": citas.personas.bob,
        "complaints officer (no role)": make_operator("quinn", ""),
        "entity supervisor": citas.personas.carol,
        "deactivated operator": make_operator("otto", Role.CALL_CENTER, is_active=False),
    }


class TestCitizensKeepTheirPath:
    def test_an_anonymous_client_stops_at_the_address_limit(self, guarded: Citas) -> None:
        # given the day's 25 slots and one anonymous browser
        client = Client()
        slots = actions.open_day(guarded.center, guarded.service, DAY)
        assert len(slots) == 25

        # when it books for 25 people, solving each proof of work
        answers = []
        for i, slot in enumerate(slots):
            response = take(client, guarded, slot, pow=solved(client))
            answers.append(response.status_code)
            if response.status_code == 302:
                token = response["Location"].rstrip("/").rsplit("/", 1)[1]
                person = {"document_number": f"{40000000 + i}", "email": f"p{i}@example.pe"}
                confirmed = client.post(
                    reverse("appointments:hold", args=[token]), contact_data(**person)
                )
                assert confirmed.status_code == 302
            else:
                refusal = region(response, "aviso")

        # then the first 20 are booked on the web, the other 5 refused as today
        assert answers == [302] * ADDRESS_LIMIT + [409] * 5
        assert refusal == ADDRESS_REFUSED
        bookings = Booking.objects.order_by("pk")
        assert [b.slot_id for b in bookings] == [s.pk for s in slots[:ADDRESS_LIMIT]]
        assert {(b.status, b.channel, b.operator_id) for b in bookings} == {
            ("confirmed", "portal", None)
        }
        rest = Slot.objects.filter(pk__in=[s.pk for s in slots[ADDRESS_LIMIT:]])
        assert set(rest.values_list("taken", flat=True)) == {0}
        hits = AuditLog.objects.filter(action="appointments.limit_reached")
        assert [(h.actor_id, h.data) for h in hits] == [
            (None, {"limit": "address", "address": "127.0.0.1"})
        ] * 5

    @pytest.mark.parametrize(
        "who",
        ["advisor", "complaints officer (no role)", "entity supervisor", "deactivated operator"],
    )
    def test_another_role_needs_the_proof_of_work(self, guarded: Citas, who: str) -> None:
        client = signed_in(not_operators(guarded)[who])
        slot = slot_at(guarded, FIRST_FREE)

        page = client.get(pages.day_url(guarded))
        refused = take(client, guarded, slot)

        assert 'data-pow="/citas/desafio/"' in page.content.decode()
        assert "Modo operador" not in text(page)
        assert refused.status_code == 400
        assert region(refused, "aviso") == POW_REFUSED
        assert not Booking.objects.exists()
        slot.refresh_from_db()
        assert slot.taken == 0

    @pytest.mark.parametrize("who", ["advisor", "complaints officer (no role)"])
    def test_another_role_books_on_the_web_channel(self, guarded: Citas, who: str) -> None:
        user = not_operators(guarded)[who]
        client = signed_in(user)
        slot = slot_at(guarded, FIRST_FREE)

        response = take(client, guarded, slot, pow=solved(client))
        token = response["Location"].rstrip("/").rsplit("/", 1)[1]
        confirmed = client.post(reverse("appointments:hold", args=[token]), contact_data())

        assert confirmed.status_code == 302
        booking = Booking.objects.get()
        assert (booking.status, booking.channel, booking.operator_id) == (
            "confirmed",
            "portal",
            None,
        )
        audited = AuditLog.objects.filter(action__startswith="appointments.").order_by("pk")
        assert [(a.action, a.actor_id) for a in audited] == [
            ("appointments.hold", None),
            ("appointments.confirm", None),
        ]
        assert "Modo operador" not in text(client.get(reverse("appointments:confirmed")))
