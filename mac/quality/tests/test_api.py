"""The complaints API: POST /api/v1/complaints answers 201 with the code and
the due date; bad input is a 422 with a clear `detail` and stores nothing;
tracking by code and document; all in the OpenAPI spec.

As deployed, an anonymous client proves work before it files
(test_api_pow.py): here it does so with the cheapest challenges."""

from __future__ import annotations

import pytest

from mac.core import pow
from mac.core.testing import CITIZEN_DNI
from mac.quality.models import Complaint
from mac.quality.testing import COMAS, file

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world, settings):
    settings.QUALITY = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}
    return world


def body(world, **changes):
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


def post(client, path, data):
    return client.post(f"/api/v1{path}", data, content_type="application/json")


def file_claim(client, data):
    """POST /complaints as an anonymous client that solved a fresh challenge."""
    proof = pow.solve(client.get("/api/v1/complaints/challenge").json())
    return client.post(
        "/api/v1/complaints", data, content_type="application/json", HTTP_X_PROOF_OF_WORK=proof
    )


class TestComplaintsApi:
    def test_it_files_a_claim(self, client, world, clock):
        response = file_claim(client, body(world))

        assert response.status_code == 201
        assert response.json() == {
            "code": "RENIEC-2026-000001",
            "entity": "RENIEC",
            "status": "registered",
            "filed_at": "2026-11-03T10:00:00-05:00",
            "due_date": "2026-12-17",
        }
        assert Complaint.objects.get().client_address == "127.0.0.1"

    @pytest.mark.parametrize(
        ("label", "changes", "code", "detail"),
        [
            ("bad DNI", {"document_number": "1234"}, "invalid_document", "El DNI tiene 8 dígitos."),
            (
                "no contact",
                {"email": "", "consent_email": False},
                "no_contact",
                "Escribe un correo o un teléfono: por ahí te avisamos de tu reclamo.",
            ),
            (
                "consent without email",
                {"email": "", "phone": "987654321"},
                "consent_without_email",
                "Para responderte por correo, escribe tu correo electrónico.",
            ),
            (
                "unknown entity",
                {"entity": 999999},
                "invalid_entity",
                "Elige la entidad de la lista.",
            ),
        ],
    )
    def test_it_refuses_bad_input_with_a_clear_detail(
        self, client, world, label, changes, code, detail
    ):
        response = file_claim(client, body(world, **changes))

        assert response.status_code == 422, label
        assert response.json() == {"detail": detail, "code": code}
        assert Complaint.objects.count() == 0

    @pytest.mark.parametrize("what", ["ruc", "suspended entity", "withdrawn entity", "center"])
    def test_it_refuses_what_the_form_does_not_offer(self, client, world, what):
        """The API takes the sheet's rules, not only its fields: a RUC names
        a company, not the person who claims; an entity suspended or withdrawn
        and a center not operating are not on the form's lists."""
        p = world.personas
        changes: dict = {}
        expected = ("invalid_entity", "Elige la entidad de la lista.")
        if what == "ruc":
            changes = {"document_type": "ruc", "document_number": "20131370998"}
            expected = (
                "invalid_document",
                "Escribe el documento de una persona: DNI, carné de extranjería, pasaporte o CPP.",
            )
        elif what == "center":
            p.lima_norte.status = "under_implementation"
            p.lima_norte.save(update_fields=["status"])
            expected = ("invalid_center", "Elige el Centro MAC de la lista.")
        else:
            p.reniec.status = "suspended" if what == "suspended entity" else "withdrawn"
            p.reniec.save(update_fields=["status"])

        response = file_claim(client, body(world, **changes))

        assert (response.status_code, response.json()) == (
            422,
            {"code": expected[0], "detail": expected[1]},
        )
        assert Complaint.objects.count() == 0

    def test_it_refuses_a_missing_consent_answer(self, client, world):
        data = body(world)
        del data["consent_email"]

        response = file_claim(client, data)

        assert response.status_code == 422
        refusal = response.json()
        assert (refusal["code"], refusal["detail"]) == (
            "invalid",
            "Datos no válidos: consent_email.",
        )
        [error] = refusal["errors"]
        assert (error["loc"][-1], error["type"]) == ("consent_email", "missing")
        assert Complaint.objects.count() == 0

    def test_it_limits_claims_per_address(self, client, world, settings):
        settings.QUALITY = {**settings.QUALITY, "MAX_PER_ADDRESS_DAY": 2}
        statuses = [file_claim(client, body(world)).status_code for _ in range(3)]

        assert statuses == [201, 201, 429]
        assert Complaint.objects.count() == 2

    def test_it_tracks_by_code_and_document(self, client, world, clock):
        complaint = file(world.personas)

        found = post(
            client,
            f"/complaints/{complaint.code}/lookup",
            {"document_type": "dni", "document_number": CITIZEN_DNI},
        )
        wrong = post(
            client,
            f"/complaints/{complaint.code}/lookup",
            {"document_type": "dni", "document_number": "40506070"},
        )

        assert found.status_code == 200
        assert found.json() == {
            "code": "RENIEC-2026-000001",
            "entity": "RENIEC",
            "status": "registered",
            "status_label": "Registrado",
            "filed_at": "2026-11-03T10:00:00-05:00",
            "due_date": "2026-12-17",
            "answered_at": None,
            "answer": "",
        }
        assert (wrong.status_code, wrong.json()) == (
            404,
            {
                "detail": "No encontramos un reclamo con ese código y ese documento.",
                "code": "complaint_not_found",
            },
        )

    def test_it_is_in_the_openapi_spec(self, client):
        paths = client.get("/api/v1/openapi.json").json()["paths"]

        assert set(paths["/api/v1/complaints"]) == {"post"}
        assert set(paths["/api/v1/complaints/challenge"]) == {"get"}
        assert set(paths["/api/v1/complaints/{code}/lookup"]) == {"post"}
