"""The queue API refuses a ticket for a service no active counter of the
center has among its skills: 409 `service_unstaffed`, worded for the
kiosk's citizen when a kiosk's key asks, for staff otherwise; nothing is
written."""

from __future__ import annotations

from django.test import Client

from mac.accounts.apikeys import create_key
from mac.queueing import actions
from mac.queueing.testing import OPEN, queue_service

from .conftest import Desk
from .test_queue_api import login, post
from .test_queue_api_keys import call
from .test_queue_api_language import written


class TestQueueApiServiceUnstaffed:
    def test_issuing_answers_409_for_staff_and_writes_nothing(
        self, desk: Desk, client: Client
    ) -> None:
        domicilio = queue_service(desk.sunat, "Cambio de domicilio fiscal", desk.center)
        login(client, desk.advisor)
        before = written()

        status, body = post(client, f"/centers/{desk.center.pk}/tickets", {"service": domicilio.pk})

        assert (status, body) == (
            409,
            {
                "detail": "Ningún módulo habilitado de Centro MAC Lima Norte tiene «Cambio de"
                " domicilio fiscal» entre sus servicios: el ticket esperaría sin que nadie lo"
                " llame. Asigne el servicio a un módulo en la administración, o indique al"
                " ciudadano otro Centro MAC que lo atienda.",
                "code": "service_unstaffed",
            },
        )
        assert written() == before

    def test_a_kiosks_key_gets_the_citizens_words(self, desk: Desk) -> None:
        domicilio = queue_service(desk.sunat, "Cambio de domicilio fiscal", desk.center)
        _, key = create_key(desk.advisor, "Kiosko 1", source="kiosk")
        before = written()

        status, body = call(key, f"/centers/{desk.center.pk}/tickets", {"service": domicilio.pk})

        assert (status, body) == (
            409,
            {
                "detail": "Hoy nadie atiende «Cambio de domicilio fiscal» en Centro MAC Lima"
                " Norte. Pregunta en orientación: te dirán dónde puedes hacer este trámite.",
                "code": "service_unstaffed",
            },
        )
        assert written() == before

    def test_adding_a_service_to_the_visit_answers_409(self, desk: Desk, client: Client) -> None:
        domicilio = queue_service(desk.sunat, "Cambio de domicilio fiscal", desk.center)
        visit = actions.issue_ticket(desk.center, desk.ruc, now=OPEN).visit
        login(client, desk.advisor)
        before = written()

        status, body = post(client, f"/visits/{visit.pk}/tickets", {"service": domicilio.pk})

        assert (status, body["code"]) == (409, "service_unstaffed")
        assert written() == before
