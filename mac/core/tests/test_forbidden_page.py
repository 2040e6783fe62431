"""A refusal (403) says why, in the page's language, with the site's layout:
Django's default page is a bare "403 Forbidden" in English, and drops the
reason the view gave."""

from __future__ import annotations

import pytest
from django.test import Client

from mac.accounts.models import Role
from mac.core.testing import Personas, make_user

pytestmark = pytest.mark.django_db


class TestForbiddenPage:
    def test_it_gives_the_views_reason_in_spanish(self, client: Client, personas: Personas) -> None:
        client.force_login(make_user("cora", Role.CENTER_COORDINATOR, center=personas.lima_norte))

        response = client.get("/reclamaciones/personal/")

        text = response.content.decode()
        assert response.status_code == 403
        assert '<html lang="es">' in text
        assert '<h1 class="heading-xl">Sin acceso a esta página</h1>' in text
        assert "No tiene acceso al Libro de Reclamaciones." in text
        assert 'href="/personal/entrar/?next=/reclamaciones/personal/"' in text
        assert "Forbidden" not in text

    def test_it_has_a_reason_when_the_view_gave_none(
        self, client: Client, personas: Personas
    ) -> None:
        client.force_login(personas.bob)  # an advisor, not orientation staff

        response = client.get("/centros/lima-norte/orientacion/")

        assert response.status_code == 403
        assert "Esta cuenta no tiene acceso a esta página." in response.content.decode()

    def test_it_speaks_quechua_when_the_visitor_chose_it(
        self, client: Client, personas: Personas
    ) -> None:
        client.force_login(personas.bob)
        client.cookies["django_language"] = "qu"

        response = client.get("/centros/lima-norte/orientacion/")

        text = response.content.decode()
        assert response.status_code == 403
        assert '<html lang="qu">' in text
        assert "Esta cuenta no tiene acceso a esta página." not in text
