from __future__ import annotations

import pytest
from django.test import Client

from .conftest import Catalog


@pytest.mark.django_db
class TestLanguageSwitch:
    def test_it_switches_the_ui_to_quechua(self, client: Client, catalog: Catalog) -> None:
        response = client.post("/i18n/setlang/", {"language": "qu", "next": "/"}, follow=True)

        assert response.status_code == 200
        html = response.content.decode()
        assert '<html lang="qu">' in html
        assert "¿Ima trámitetataq ruwanayki?" in html
        assert "¿Qué trámite necesitas hacer?" not in html
        assert "Trámitekunata maskay" in html

    def test_it_translates_the_result_and_service_headings(
        self, client: Client, catalog: Catalog
    ) -> None:
        client.post("/i18n/setlang/", {"language": "qu", "next": "/"})

        results = client.get("/buscar/", {"q": "pasaporte"}).content.decode()
        service = client.get(catalog.passport.get_absolute_url()).content.decode()

        assert "Mañakuykuna" in service
        assert "Requisitos" not in service
        assert "Maskay" in results

    def test_it_goes_back_to_spanish(self, client: Client, catalog: Catalog) -> None:
        client.post("/i18n/setlang/", {"language": "qu", "next": "/"})

        response = client.post("/i18n/setlang/", {"language": "es", "next": "/"}, follow=True)

        html = response.content.decode()
        assert '<html lang="es">' in html
        assert "¿Qué trámite necesitas hacer?" in html

    def test_it_follows_the_browser_language(self, client: Client, catalog: Catalog) -> None:
        html = client.get("/", headers={"accept-language": "qu"}).content.decode()

        assert '<html lang="qu">' in html

    def test_it_marks_the_current_language(self, client: Client, catalog: Catalog) -> None:
        html = client.get("/").content.decode()

        assert 'value="es" lang="es" aria-current="true">Español</button>' in html
        assert 'value="qu" lang="qu">Runasimi</button>' in html

    def test_it_marks_the_spanish_catalog_data_on_a_quechua_page(
        self, client: Client, catalog: Catalog
    ) -> None:
        # Given a citizen reading in Quechua
        client.post("/i18n/setlang/", {"language": "qu", "next": "/"})

        # When they open the licence, search for it, and open its center
        service = client.get(catalog.licence.get_absolute_url()).content.decode()
        results = client.get("/buscar/", {"q": "licencia"}).content.decode()
        center = client.get("/centros/lima-norte/").content.decode()

        # Then the catalog's Spanish text says it is Spanish (WCAG 2.1 SC 3.1.2),
        # so that a screen reader does not read it with Quechua rules
        assert '<h1 class="heading-xl" lang="es">Licencia de conducir</h1>' in service
        assert '<ol class="requirements" lang="es">' in service
        assert '<dd lang="es">DS 007-2016-MTC, Reglamento de licencias de conducir</dd>' in service
        assert '<h2 class="result__title" lang="es">' in results
        assert '<dd lang="es">Av. Los Ángeles 602, Mallplaza Comas</dd>' in center
        assert '<span class="muted" lang="es">(Inventario anual)</span>' in center

    def test_it_does_not_repeat_the_language_on_a_spanish_page(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get(catalog.licence.get_absolute_url()).content.decode()

        assert '<h1 class="heading-xl">Licencia de conducir</h1>' in html
        assert html.count('lang="es"') == 2  # <html> and the language switch
