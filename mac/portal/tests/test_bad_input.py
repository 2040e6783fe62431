"""Whatever a citizen (or a bot) types, the portal answers with a page, never
with a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import Catalog

NASTY_VALUES = [
    pytest.param("a" * 10_000, id="very-long"),
    pytest.param("%", id="percent"),
    pytest.param("_", id="underscore"),
    pytest.param("%_%", id="like-wildcards"),
    pytest.param("'", id="single-quote"),
    pytest.param('"', id="double-quote"),
    pytest.param("' OR 1=1 --", id="sql"),
    pytest.param("😀🇵🇪👩🏽‍🌾", id="emoji"),
    pytest.param("\x00", id="nul"),
    pytest.param("lic\x00encia", id="nul-inside"),
    pytest.param("\x1b[31m\x7f\x9f", id="control-chars"),
    pytest.param("\u202epasaporte", id="bidi-override"),
    pytest.param("<script>alert(1)</script>", id="html"),
    pytest.param("\\", id="backslash"),
    pytest.param("   ", id="blank"),
    pytest.param("\ufffd\ufeff", id="replacement-and-bom"),
    pytest.param("ñandú ÑANDÚ", id="accents"),
    pytest.param("9" * 5_000, id="long-number"),
    pytest.param("-1", id="negative"),
    pytest.param("../../etc/passwd", id="path"),
]

PARAMETERS = ["q", "entidad", "centro", "canal", "tema", "page"]


@pytest.mark.django_db
class TestBadInput:
    @pytest.mark.parametrize("name", PARAMETERS)
    @pytest.mark.parametrize("value", NASTY_VALUES)
    def test_it_never_fails_on_a_search_parameter(
        self, client: Client, catalog: Catalog, name: str, value: str
    ) -> None:
        response = client.get("/buscar/", {name: value})

        assert response.status_code == 200

    @pytest.mark.parametrize("value", NASTY_VALUES)
    def test_it_never_fails_with_every_parameter_at_once(
        self, client: Client, catalog: Catalog, value: str
    ) -> None:
        response = client.get("/buscar/", dict.fromkeys(PARAMETERS, value))

        assert response.status_code == 200

    def test_it_escapes_what_it_echoes(self, client: Client, catalog: Catalog) -> None:
        html = client.get("/buscar/", {"q": "<script>alert(1)</script>"}).content.decode()

        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_it_echoes_at_most_the_maximum_query_length(
        self, client: Client, catalog: Catalog
    ) -> None:
        response = client.get("/buscar/", {"q": "a" * 10_000})

        assert response.context["query"] == "a" * 200
        assert "a" * 201 not in response.content.decode()

    def test_it_returns_to_the_cleaned_search_when_switching_language(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get("/buscar/", {"q": "pasa\x00porte", "page": "abc"}).content.decode()

        assert (
            '<input type="hidden" name="next" id="idioma-volver" value="/buscar/?q=pasa+porte">'
            in html
        )

    def test_it_handles_repeated_parameters(self, client: Client, catalog: Catalog) -> None:
        response = client.get("/buscar/?q=a&q=b&page=1&page=x&entidad=MTC&entidad=%00")

        assert response.status_code == 200

    def test_it_handles_invalid_utf8_in_the_query_string(
        self, client: Client, catalog: Catalog
    ) -> None:
        response = client.get("/buscar/?q=%ff%fe%00&entidad=%c3")

        assert response.status_code == 200

    @pytest.mark.parametrize(
        "path",
        [
            "/servicios/%00/",
            "/servicios/a%27b/",
            "/servicios/" + "x" * 500 + "/",
            "/centros/%F0%9F%98%80/",
            "/centros/" + "x" * 500 + "/",
            "/centros/a_b/",
        ],
    )
    def test_it_answers_404_for_odd_slugs(
        self, client: Client, catalog: Catalog, path: str
    ) -> None:
        assert client.get(path).status_code == 404

    @pytest.mark.parametrize("path", ["/", "/buscar/", "/centros/", "/centros/lima-norte/"])
    def test_it_refuses_posts(self, client: Client, catalog: Catalog, path: str) -> None:
        assert client.post(path, {"q": "x"}).status_code == 405
