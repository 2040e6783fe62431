"""Tracking by code and document: the right pair shows the state, the dates
and, once given, the answer; a wrong code or a wrong document gets the same
"not found" and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from mac.core.testing import CITIZEN_DNI
from mac.quality import actions
from mac.quality.models import LookupFailure
from mac.quality.testing import file

pytestmark = pytest.mark.django_db
NOT_FOUND = "No encontramos un reclamo con ese código y ese documento."


def lookup(client, code, number=CITIZEN_DNI, doc_type="dni", **extra):
    return client.post(
        "/reclamaciones/seguimiento/",
        {"code": code, "document_type": doc_type, "document_number": number},
        **extra,
    )


class TestTracking:
    def test_the_right_pair_shows_the_state(self, client, world, clock):
        complaint = file(world.personas)

        response = lookup(client, " reniec-2026-000001 ")
        page = client.get("/reclamaciones/seguimiento/reclamo/").content.decode()

        assert response["Location"] == "/reclamaciones/seguimiento/reclamo/"
        assert f"Reclamo {complaint.code}" in page
        assert "<dd>jueves 17 de diciembre de 2026</dd>" in page
        assert "<dd>Registrado</dd>" in page
        assert "Ana Quispe" not in page

    def test_it_shows_the_answer_once_given(self, client, world):
        complaint = file(world.personas)
        actions.take_in_process(complaint.pk, by=world.olga)
        actions.answer(complaint.pk, text="Reforzamos el módulo 4.", by=world.olga)

        lookup(client, complaint.code)
        page = client.get("/reclamaciones/seguimiento/reclamo/").content.decode()

        assert "<dd>Respuesta notificada</dd>" in page
        assert "Reforzamos el módulo 4." in page

    @pytest.mark.parametrize(
        ("label", "code", "number"),
        [
            ("wrong document", "RENIEC-2026-000001", "40506070"),
            ("wrong code", "RENIEC-2026-000002", CITIZEN_DNI),
            ("another entity's code", "SUNAT-2026-000001", CITIZEN_DNI),
        ],
    )
    def test_a_wrong_pair_says_only_not_found(self, client, world, clock, label, code, number):
        file(world.personas)
        file(
            world.personas,
            entity=world.personas.sunat,
            center=world.personas.arequipa,
            document_number="40506070",
        )

        response = lookup(client, code, number)
        body = response.content.decode()

        assert response.status_code == 404, label
        assert NOT_FOUND in body
        for secret in ["Ana Quispe", "Registrado", "17 de diciembre", "RENIEC-2026-000001</"]:
            assert secret not in body
        assert client.get("/reclamaciones/seguimiento/reclamo/")["Location"] == (
            "/reclamaciones/seguimiento/"
        )

    def test_leaving_forgets_the_claim(self, client, world):
        complaint = file(world.personas)
        lookup(client, complaint.code)

        client.post("/reclamaciones/seguimiento/salir/")

        assert client.get("/reclamaciones/seguimiento/reclamo/").status_code == 302
        assert client.get("/reclamaciones/constancia/").status_code == 404

    def test_an_address_that_keeps_guessing_is_stopped_for_an_hour(self, client, world, clock):
        """Codes are correlative: with a citizen's DNI a stranger could try
        RENIEC-2026-000001, 000002... Twenty pairs that find nothing in an
        hour, and that address gets a 429 even for a right pair; another
        address does not, and an hour later it may try again."""
        complaint = file(world.personas)
        for number in range(2, 22):
            assert lookup(client, f"RENIEC-2026-{number:06d}").status_code == 404
        assert LookupFailure.objects.count() == 20

        refused = lookup(client, complaint.code)
        api = client.post(
            f"/api/v1/complaints/{complaint.code}/lookup",
            {"document_type": "dni", "document_number": CITIZEN_DNI},
            content_type="application/json",
        )
        elsewhere = lookup(Client(), complaint.code, REMOTE_ADDR="190.42.7.9")

        assert refused.status_code == 429
        assert "Demasiadas consultas sin resultado desde esta conexión." in refused.content.decode()
        assert client.get("/reclamaciones/seguimiento/reclamo/")["Location"] == (
            "/reclamaciones/seguimiento/"
        )
        assert (api.status_code, api.json()["code"]) == (429, "limit_lookups")
        assert LookupFailure.objects.count() == 20
        assert elsewhere["Location"] == "/reclamaciones/seguimiento/reclamo/"
        clock.shift(dt.timedelta(hours=1, seconds=1))
        assert lookup(Client(), complaint.code).status_code == 302

    def test_the_right_pair_and_the_session_count_no_failure(self, client, world, clock):
        complaint = file(world.personas)
        for _ in range(25):
            assert lookup(client, complaint.code).status_code == 302
            client.get("/reclamaciones/seguimiento/reclamo/")

        assert LookupFailure.objects.count() == 0
