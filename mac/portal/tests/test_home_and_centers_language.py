"""The home page's topics and the centers' addresses are the catalog's
Spanish text: on a Quechua page they say so (WCAG 2.1 SC 3.1.2, language of
parts), as the search, service and center pages already did."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import Catalog


@pytest.mark.django_db
class TestHomeAndCentersLanguage:
    def test_it_marks_the_spanish_topics_and_addresses_on_a_quechua_page(
        self, client: Client, catalog: Catalog
    ) -> None:
        client.post("/i18n/setlang/", {"language": "qu", "next": "/"})

        home = client.get("/").content.decode()
        centers = client.get("/centros/").content.decode()

        assert '?tema=manejar" lang="es">Voy a manejar un vehículo</a>' in home
        assert (
            '<p class="tile__text" lang="es">Licencias, placas y récord de conductor.</p>' in home
        )
        assert '?tema=identidad" lang="es">Documentos de identidad y viaje</a>' in home
        assert (
            '<p class="center-card__address" lang="es">'
            "Av. Los Ángeles 602, Mallplaza Comas — Comas</p>" in centers
        )

    def test_it_does_not_mark_them_on_a_spanish_page(
        self, client: Client, catalog: Catalog
    ) -> None:
        home = client.get("/").content.decode()
        centers = client.get("/centros/").content.decode()

        assert '?tema=manejar">Voy a manejar un vehículo</a>' in home
        assert home.count('lang="es"') == 2  # <html> and the language switch
        assert centers.count('lang="es"') == 2
