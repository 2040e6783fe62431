from __future__ import annotations

import pytest
from django.test import Client, override_settings

from mac.core.testing import make_service

from .conftest import Catalog


@pytest.mark.django_db
class TestSearchPage:
    def test_it_lists_matching_services_with_entity_fee_and_appointment(
        self, client: Client, catalog: Catalog
    ) -> None:
        response = client.get("/buscar/", {"q": "pasaporte"})

        assert response.status_code == 200
        html = response.content.decode()
        assert "Resultados para «pasaporte»" in html
        assert "1 trámite encontrado" in html
        assert f'<a href="{catalog.passport.get_absolute_url()}">Pasaporte electrónico</a>' in html
        assert "Superintendencia Nacional de Migraciones (MIGRACIONES)" in html
        assert "S/ 120.90" in html
        assert "Necesitas cita previa" in html
        assert "Licencia de conducir" not in html

    def test_it_shows_free_services_and_no_appointment(
        self, client: Client, catalog: Catalog
    ) -> None:
        make_service(
            catalog.mtc, "Consulta de récord de conductor", plain_name="Récord de conductor"
        )

        html = client.get("/buscar/", {"q": "récord"}).content.decode()

        assert "Gratuito" in html
        assert "Sin cita" in html

    def test_it_lists_everything_published_without_a_query(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get("/buscar/").content.decode()

        assert "2 trámites encontrados" in html
        assert "Trámite en borrador" not in html

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            pytest.param({"entidad": "MTC"}, ["Licencia de conducir"], id="entity"),
            pytest.param({"entidad": "mtc"}, ["Licencia de conducir"], id="entity-lowercase"),
            pytest.param({"centro": "arequipa"}, ["Pasaporte electrónico"], id="center"),
            pytest.param({"canal": "phone"}, ["Licencia de conducir"], id="channel"),
            pytest.param({"tema": "identidad"}, ["Pasaporte electrónico"], id="category"),
        ],
    )
    def test_it_filters(
        self, client: Client, catalog: Catalog, params: dict[str, str], expected: list[str]
    ) -> None:
        html = client.get("/buscar/", params).content.decode()

        shown = [
            n for n in ("Licencia de conducir", "Pasaporte electrónico") if f">{n}</a>" in html
        ]
        assert shown == expected

    def test_it_keeps_the_chosen_filters_selected(self, client: Client, catalog: Catalog) -> None:
        html = client.get("/buscar/", {"entidad": "MTC", "canal": "online"}).content.decode()

        assert '<option value="MTC" selected>' in html
        assert '<option value="online" selected>' in html

    def test_it_says_when_a_filter_is_not_recognised(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get("/buscar/", {"entidad": "NOEXISTE"}).content.decode()

        assert "No reconocimos uno de los filtros elegidos" in html
        assert "2 trámites encontrados" in html

    def test_it_suggests_what_to_do_when_nothing_matches(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get("/buscar/", {"q": "zzzz", "entidad": "MTC"}).content.decode()

        assert "0 trámites encontrados" in html
        assert "No encontramos trámites para «zzzz»" in html
        assert 'href="?q=zzzz">Buscar sin filtros</a>' in html
        assert 'href="tel:1800"' in html

    @override_settings(SEARCH_PAGE_SIZE=2)
    def test_it_paginates(self, client: Client, catalog: Catalog) -> None:
        for n in range(3):
            make_service(catalog.mtc, f"Trámite de prueba {n}", plain_name=f"Prueba {n}")

        first = client.get("/buscar/", {"entidad": "MTC"}).content.decode()
        last = client.get("/buscar/", {"entidad": "MTC", "page": "2"}).content.decode()

        assert "4 trámites encontrados · página 1 de 2" in first
        assert 'href="?entidad=MTC&amp;page=2" rel="next">Siguiente</a>' in first
        assert 'rel="prev"' not in first
        assert 'href="?entidad=MTC&amp;page=1" rel="prev">Anterior</a>' in last
        assert '<ol class="results" start="3">' in last

    @override_settings(SEARCH_PAGE_SIZE=1)
    @pytest.mark.parametrize(
        ("page", "expected_number"),
        [("abc", 1), ("99999", 2), ("0", 2), ("-1", 2), ("1.5", 1), ("", 1)],
    )
    def test_it_falls_back_to_a_sensible_page(
        self, client: Client, catalog: Catalog, page: str, expected_number: int
    ) -> None:
        response = client.get("/buscar/", {"page": page})

        assert response.status_code == 200
        assert response.context["page"].number == expected_number

    @override_settings(SEARCH_MAX_QUERY=10)
    def test_it_truncates_long_queries(self, client: Client, catalog: Catalog) -> None:
        response = client.get("/buscar/", {"q": "pasaporte electrónico"})

        assert response.context["query"] == "pasaporte"
        assert 'maxlength="10"' in response.content.decode()

    def test_it_strips_control_characters(self, client: Client, catalog: Catalog) -> None:
        response = client.get("/buscar/", {"q": "pasa\x00porte\x1b  \t"})

        assert response.context["query"] == "pasa porte"

    def test_it_folds_the_filters_away_until_one_is_used(
        self, client: Client, catalog: Catalog
    ) -> None:
        plain = client.get("/buscar/", {"q": "pasaporte"}).content.decode()
        filtered = client.get("/buscar/", {"q": "pasaporte", "canal": "center"}).content.decode()

        assert '<details class="filters__details">' in plain
        assert '<details class="filters__details" open>' in filtered
