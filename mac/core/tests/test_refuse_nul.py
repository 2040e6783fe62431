"""A NUL character never reaches PostgreSQL, where a query carrying one failed
with a server error: in a form field or a JSON body the request is a 400
before any view runs; in a query string or a path the view answers as for any
other bad value (the complaints book's ubigeo selects, lookup and filters)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from mac.quality.models import Complaint

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_form_field_is_refused_and_nothing_stored(client: Client) -> None:
    response = client.post("/reclamaciones/hoja/", {"department": "15\x00", "name": "Ana"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_nul_in_a_json_body_is_refused_and_nothing_stored(client: Client) -> None:
    body = json.dumps({"entity": 1, "name": "Ana\x00"})
    response = client.post("/api/v1/complaints", body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    "params",
    [{"department": "\x00"}, {"parte": "distrito", "province": "1\x00"}],
)
def test_the_ubigeo_selects_narrow_to_nothing(client: Client, params: dict) -> None:
    response = client.get("/reclamaciones/ubigeo/", params)
    assert response.status_code == 200
    assert "<option" in response.content.decode()


def test_a_lookup_with_a_nul_in_the_code_is_not_found(client: Client) -> None:
    response = client.post(
        "/api/v1/complaints/RENIEC%00/lookup",
        {"document_type": "dni", "document_number": "41234567"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_an_ordinary_request_passes(client: Client) -> None:
    assert client.get("/reclamaciones/ubigeo/", {"department": "15"}).status_code == 200


def test_a_body_sent_as_text_is_checked_under_the_api(client: Client) -> None:
    """django-ninja reads a JSON body whatever its declared type: a NUL in one
    sent as text/plain reached PostgreSQL (a server error)."""
    body = json.dumps({"entity": 1, "name": "Ana\x00"})
    response = client.post("/api/v1/complaints", body, content_type="text/plain")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/appointments/AB%00CD/lookup",
        "/api/v1/appointments/holds/x%00/confirm",
        "/api/v1/surveys/abc%00def",
    ],
)
def test_a_nul_in_an_api_path_names_nothing(client: Client, path: str) -> None:
    response = client.post(path, {}, content_type="application/json")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No existe esa dirección.", "code": "not_found"},
    )
