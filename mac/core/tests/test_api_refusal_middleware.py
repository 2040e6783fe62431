"""Under /api/, what no operation answers keeps the API's shape: an unknown
address was Django's HTML 404 page, a method an address does not take was
ninja's plain-text 405 ("Method not allowed")."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "No existe esa dirección.", "code": "not_found"}


class TestApiRefusalMiddleware:
    @pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
    @pytest.mark.parametrize(
        "path", ["/api/v1/tramites", "/api/v1/centers/", "/api/v2/centers", "/api/"]
    )
    def test_an_unknown_address_is_not_found(self, method: str, path: str) -> None:
        client = Client(enforce_csrf_checks=True)

        response = client.generic(method, path)

        assert (response.status_code, response["Content-Type"]) == (404, "application/json")
        assert response.json() == NOT_FOUND

    def test_a_method_the_address_does_not_take_is_not_allowed(self, client: Client) -> None:
        response = client.put("/api/v1/centers", "{}", content_type="application/json")

        assert (response.status_code, response["Content-Type"], response["Allow"]) == (
            405,
            "application/json",
            "GET",
        )
        assert response.json() == {
            "detail": "Esta dirección no admite el método PUT.",
            "code": "method_not_allowed",
        }

    def test_it_answers_in_quechua_too(self) -> None:
        client = Client(headers={"Accept-Language": "qu"})

        missing = client.get("/api/v1/tramites").json()
        refused = client.delete("/api/v1/services").json()

        assert (missing["code"], refused["code"]) == ("not_found", "method_not_allowed")
        assert missing["detail"] not in ("", NOT_FOUND["detail"])
        assert "DELETE" in refused["detail"]
        assert not refused["detail"].startswith("Esta dirección")

    def test_an_operation_answer_is_left_as_it_is(self, client: Client) -> None:
        response = client.get("/api/v1/centers/999999")

        assert (response.status_code, response.json()) == (
            404,
            {"detail": "No existe ese Centro MAC.", "code": "center"},
        )

    def test_a_page_keeps_its_html_404(self, client: Client) -> None:
        response = client.get("/no-existe-esta-pagina/")

        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
