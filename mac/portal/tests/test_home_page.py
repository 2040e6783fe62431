from __future__ import annotations

import pytest
from django.test import Client

from .conftest import Catalog


@pytest.mark.django_db
class TestHomePage:
    def test_it_offers_one_search_box_that_goes_to_the_results(
        self, client: Client, catalog: Catalog
    ) -> None:
        response = client.get("/")

        assert response.status_code == 200
        html = response.content.decode()
        assert '<form class="search-form search-form--big" action="/buscar/" method="get"' in html
        assert (
            '<label class="label label--big" for="q">¿Qué trámite necesitas hacer?</label>' in html
        )
        assert 'name="q"' in html
        assert '<html lang="es">' in html

    def test_it_links_life_events_and_categories_with_published_services(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get("/").content.decode()

        assert 'href="/buscar/?tema=manejar">Voy a manejar un vehículo</a>' in html
        assert 'href="/buscar/?tema=identidad">Documentos de identidad y viaje</a>' in html
        assert "Licencias, placas y récord de conductor." in html

    def test_it_links_the_centers(self, client: Client, catalog: Catalog) -> None:
        html = client.get("/").content.decode()

        assert 'href="/centros/"' in html
        # Lima Norte and Arequipa operate; Ayacucho is still being built.
        assert "2 centros con muchas entidades en un mismo lugar." in html

    def test_it_has_the_shared_layout(self, client: Client, catalog: Catalog) -> None:
        html = client.get("/").content.decode()

        assert 'class="skip-link" href="#contenido"' in html
        assert '<main id="contenido"' in html
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert '<script src="/static/vendor/htmx.min.js" defer></script>' in html
        assert "infomac@pcm.gob.pe" in html
        assert 'href="tel:1800"' in html
        assert 'action="/i18n/setlang/"' in html
        assert "http://" not in html.split("</head>")[0]
        assert "https://" not in html.split("</head>")[0]
