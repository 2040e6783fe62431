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
