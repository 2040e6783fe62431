"""The queue API refuses a ticket in a language no counter of the center has
for its service: 409 `language_unavailable`, worded for the kiosk's citizen
when a kiosk's key asks, for staff otherwise; nothing is written."""

from __future__ import annotations

from django.test import Client

from mac.accounts.apikeys import create_key
from mac.core.models import AuditLog, Event
from mac.queueing import actions
from mac.queueing.models import Ticket, TicketSequence, Visit
from mac.queueing.testing import OPEN

from .conftest import Desk
from .test_queue_api import login, post
from .test_queue_api_keys import call


def written() -> tuple:
    return (
        Visit.objects.count(),
        list(Ticket.objects.values_list("code", flat=True)),
        list(TicketSequence.objects.values_list("series", "last_number")),
        AuditLog.objects.count(),
        Event.objects.count(),
    )


class TestQueueApiLanguageUnavailable:
    def test_issuing_answers_409_for_staff_and_writes_nothing(
        self, desk: Desk, client: Client
    ) -> None:
        login(client, desk.advisor)
        before = written()

        status, body = post(
            client, f"/centers/{desk.center.pk}/tickets", {"service": desk.ruc.pk, "language": "ay"}
        )

        assert (status, body) == (
            409,
            {
                "detail": "Ningún módulo de Centro MAC Lima Norte atiende «Inscripción en el RUC»"
                " en aimara: el ticket esperaría sin que nadie lo llame. Emítalo en castellano o"
                " coordine un intérprete.",
                "code": "language_unavailable",
            },
        )
        assert written() == before

    def test_a_kiosks_key_gets_the_citizens_words(self, desk: Desk) -> None:
        _, key = create_key(desk.advisor, "Kiosko 1", source="kiosk")
        before = written()

        status, body = call(
            key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk, "language": "qu"}
        )

        assert (status, body["code"]) == (409, "language_unavailable")
        assert body["detail"] == (
            "En este Centro MAC ningún módulo atiende «Duplicado de DNI» en quechua. Puedes"
            " continuar en castellano, o pedir ayuda en orientación."
        )
        assert written() == before

    def test_adding_a_service_to_the_visit_answers_409(self, desk: Desk, client: Client) -> None:
        # given: a Quechua visit at RENIEC's Quechua counter; SUNAT has no Quechua
        desk.counter.languages = ["es", "qu"]
        desk.counter.save(update_fields=["languages"])
        visit = actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN).visit
        login(client, desk.advisor)
        before = written()

        status, body = post(client, f"/visits/{visit.pk}/tickets", {"service": desk.ruc.pk})

        assert (status, body["code"]) == (409, "language_unavailable")
        assert "«Inscripción en el RUC» en quechua" in body["detail"]
        assert written() == before
        status, body = post(client, f"/visits/{visit.pk}/tickets", {"service": desk.acta.pk})
        assert (status, body["code"], body["language"]) == (201, "A-001", "qu")
