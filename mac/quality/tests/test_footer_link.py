"""The portal shows a link to the Libro de Reclamaciones on every page,
the home page first (DS 007-2020-PCM)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


class TestFooterLink:
    @pytest.mark.parametrize("path", ["/", "/centros/", "/citas/", "/reclamaciones/seguimiento/"])
    def test_every_portal_page_links_the_book(self, client, path):
        body = client.get(path).content.decode()

        assert '<a href="/reclamaciones/">Libro de Reclamaciones</a>' in body
        assert '<a href="/felicitaciones/">Felicitar una atención</a>' in body
