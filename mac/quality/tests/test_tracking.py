"""Tracking by code and document: the right pair shows the state, the dates
and, once given, the answer; a wrong code or a wrong document gets the same
"not found" and nothing else."""

from __future__ import annotations

import pytest

from mac.core.testing import CITIZEN_DNI
from mac.quality import actions
from mac.quality.testing import file

pytestmark = pytest.mark.django_db
NOT_FOUND = "No encontramos un reclamo con ese código y ese documento."


def lookup(client, code, number=CITIZEN_DNI, doc_type="dni"):
    return client.post(
        "/reclamaciones/seguimiento/",
        {"code": code, "document_type": doc_type, "document_number": number},
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
