"""Every refusal of the API under /api/v1/ is JSON {detail, code}: detail in
Spanish, code stable. These were the exceptions: django-ninja's CSRF refusal
of a session ({"detail": "CSRF check Failed"}, English, no code), the
catalog's and centers' 404s and the catalog's long query (no code), and a
get_object_or_404 in an operation ({"detail": "Not Found"})."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory
from ninja.errors import HttpError

from mac.accounts.models import Role
from mac.api import http_error
from mac.core.testing import make_center, make_entity, make_service, make_user
from mac.queueing.models import Counter
from mac.queueing.testing import queue_center, queue_service, staffed_counter

pytestmark = pytest.mark.django_db

CSRF = {"detail": "Falta el token CSRF de la sesión.", "code": "csrf"}
UNAUTHENTICATED = {
    "detail": "Inicie sesión o envíe una clave de API válida.",
    "code": "unauthenticated",
}


def answer(response: Any) -> tuple[int, Any]:
    return response.status_code, response.json()


class TestSessionWithoutCsrfToken:
    """A signed-in browser session that posts without its CSRF token (the
    production check: Client(enforce_csrf_checks=True))."""

    def test_the_queue_refuses_it_and_nothing_changes(self) -> None:
        # given
        center = queue_center("lima-norte", name="Centro MAC Lima Norte")
        reniec = make_entity("RENIEC")
        dni = queue_service(reniec, "Duplicado de DNI", center, series="R")
        counter, advisor = staffed_counter(center, reniec, 1, [dni])
        before = Counter.objects.get(pk=counter.pk).status
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(advisor)

        # when
        response = browser.post(
            f"/api/v1/queue/counters/{counter.pk}/pause", {}, content_type="application/json"
        )

        # then
        assert answer(response) == (403, CSRF)
        assert (before, Counter.objects.get(pk=counter.pk).status) == ("open", "open")

    def test_the_appointments_refuse_it(self) -> None:
        center = make_center("lima-norte", name="Centro MAC Lima Norte")
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(make_user("olga", Role.ORIENTATION, center=center))

        response = browser.post(
            "/api/v1/appointments/C-0000/check-in", {}, content_type="application/json"
        )

        assert answer(response) == (403, CSRF)

    def test_it_is_answered_in_quechua_too(self) -> None:
        center = make_center("lima-norte", name="Centro MAC Lima Norte")
        browser = Client(enforce_csrf_checks=True, headers={"Accept-Language": "qu"})
        browser.force_login(make_user("olga", Role.ORIENTATION, center=center))

        response = browser.post(
            f"/api/v1/queue/centers/{center.pk}/tickets", {}, content_type="application/json"
        )

        status, body = answer(response)
        assert (status, body["code"]) == (403, "csrf")
        assert body["detail"] not in ("", CSRF["detail"])


class TestClientWithoutCredentials:
    """A client with neither session nor key (and so no CSRF cookie)."""

    def test_the_queue_asks_it_to_sign_in_and_nothing_changes(self) -> None:
        # given
        center = queue_center("lima-norte", name="Centro MAC Lima Norte")
        reniec = make_entity("RENIEC")
        dni = queue_service(reniec, "Duplicado de DNI", center, series="R")
        counter, _ = staffed_counter(center, reniec, 1, [dni])
        client = Client(enforce_csrf_checks=True)

        # when
        response = client.post(
            f"/api/v1/queue/counters/{counter.pk}/pause", {}, content_type="application/json"
        )

        # then
        assert answer(response) == (401, UNAUTHENTICATED)
        assert Counter.objects.get(pk=counter.pk).status == "open"

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("post", "/api/v1/appointments/C-0000/check-in"),
            ("get", "/api/v1/appointments/affected"),
            ("post", "/api/v1/appointments/C-0000/cancel-by-center"),
        ],
    )
    def test_the_appointments_staff_actions_ask_it_to_sign_in(self, method: str, path: str) -> None:
        client = Client(enforce_csrf_checks=True)

        response = getattr(client, method)(
            path, **({} if method == "get" else {"data": {}, "content_type": "application/json"})
        )

        assert answer(response) == (401, UNAUTHENTICATED)

    def test_the_spec_says_a_session_needs_its_token(self, client: Client) -> None:
        spec = client.get("/api/v1/openapi.json").json()

        session = spec["components"]["securitySchemes"]["StaffSession"]

        assert (session["in"], session["name"]) == ("cookie", "sessionid")
        assert "403 csrf" in session["description"]


class TestCatalogAndCentersRefusals:
    @pytest.fixture(autouse=True)
    def catalog(self) -> None:
        center = make_center("lima-norte", name="Centro MAC Lima Norte")
        make_service(make_entity("RENIEC"), "Duplicado de DNI", centers=[center])

    @pytest.mark.parametrize(
        ("path", "params", "status", "body"),
        [
            pytest.param(
                "/api/v1/services/999999",
                {},
                404,
                {"detail": "No existe ese servicio.", "code": "service"},
                id="service",
            ),
            pytest.param(
                "/api/v1/services",
                {"entity": "XYZ"},
                404,
                {"detail": "No existe la entidad «XYZ».", "code": "entity"},
                id="entity-filter",
            ),
            pytest.param(
                "/api/v1/services",
                {"center": "cusco"},
                404,
                {"detail": "No existe el centro «cusco».", "code": "center"},
                id="center-filter",
            ),
            pytest.param(
                "/api/v1/services",
                {"q": "dni " * 60},
                422,
                {"detail": "La búsqueda admite hasta 200 caracteres.", "code": "query_too_long"},
                id="long-query",
            ),
            pytest.param(
                "/api/v1/centers/999999",
                {},
                404,
                {"detail": "No existe ese Centro MAC.", "code": "center"},
                id="center",
            ),
        ],
    )
    def test_it_answers_with_a_code(
        self, client: Client, path: str, params: dict[str, str], status: int, body: dict[str, str]
    ) -> None:
        assert answer(client.get(path, params)) == (status, body)

    def test_a_bad_path_parameter_is_invalid_with_its_field_errors(self, client: Client) -> None:
        status, body = answer(client.get("/api/v1/centers/lima"))

        assert (status, body["detail"], body["code"]) == (
            422,
            "Datos no válidos: center_id.",
            "invalid",
        )
        assert [(e["loc"], e["type"]) for e in body["errors"]] == [
            (["path", "center_id"], "int_parsing")
        ]


def test_an_object_an_operation_does_not_find_is_not_found(client: Client) -> None:
    # The appointments' slots look their center up with get_object_or_404.
    response = client.get("/api/v1/centers/999999/slots", {"service": "1", "date": "2026-12-10"})

    assert answer(response) == (
        404,
        {"detail": "No se encontró lo solicitado.", "code": "not_found"},
    )


def test_any_other_error_of_ninja_keeps_the_shape() -> None:
    request = RequestFactory().get("/api/v1/services")

    response = http_error(request, HttpError(429, "Too many requests"))

    assert (response.status_code, json.loads(response.content)) == (
        429,
        {"detail": "No se pudo atender la solicitud.", "code": "http_429"},
    )


def test_the_spec_documents_the_refusals(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}

    documented = {
        path: {
            status: response["content"]["application/json"]["schema"]
            for status, response in spec["paths"][path]["get"]["responses"].items()
            if status != "200"
        }
        for path in (
            "/api/v1/services",
            "/api/v1/services/{service_id}",
            "/api/v1/centers/{center_id}",
        )
    }

    assert documented == {
        "/api/v1/services": {"404": error, "422": error},
        "/api/v1/services/{service_id}": {"404": error, "422": error},
        "/api/v1/centers/{center_id}": {"404": error, "422": error},
    }
    assert "403 csrf" in spec["info"]["description"]
