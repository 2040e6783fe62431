"""The first step tells a reclamo from a query, a denuncia, an appeal or a
suggestion, and sends those elsewhere with a plain explanation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


class TestTriage:
    def test_it_asks_what_the_person_wants(self, client):
        body = client.get("/reclamaciones/").content.decode()

        assert '<h1 class="heading-xl">Libro de Reclamaciones</h1>' in body
        for value in ["reclamo", "consulta", "denuncia", "recurso", "sugerencia", "felicitacion"]:
            assert f'value="{value}"' in body

    def test_it_sends_a_reclamo_to_the_sheet(self, client):
        response = client.get("/reclamaciones/", {"motivo": "reclamo"})

        assert (response.status_code, response["Location"]) == (302, "/reclamaciones/hoja/")

    def test_it_sends_a_compliment_to_the_compliments_book(self, client):
        response = client.get("/reclamaciones/", {"motivo": "felicitacion"})

        assert response["Location"] == "/felicitaciones/"

    @pytest.mark.parametrize(
        ("reason", "heading", "where"),
        [
            (
                "consulta",
                "Una consulta no es un reclamo: te la respondemos aquí",
                'href="tel:1800"',
            ),
            (
                "denuncia",
                "Una denuncia no va en el Libro de Reclamaciones",
                'href="https://denuncias.servicios.gob.pe/"',
            ),
            (
                "recurso",
                "Si no estás de acuerdo con una decisión, presenta un recurso",
                "dentro de los 15 días hábiles siguientes a la notificación",
            ),
            ("sugerencia", "Gracias por tu sugerencia", 'href="mailto:infomac@pcm.gob.pe"'),
        ],
    )
    def test_it_explains_where_the_rest_goes(self, client, reason, heading, where):
        response = client.get("/reclamaciones/", {"motivo": reason})
        body = response.content.decode()

        assert response.status_code == 200
        assert f'<h1 class="heading-xl">{heading}</h1>' in body
        assert where in body
        # and a reclamo is still possible
        assert 'href="/reclamaciones/hoja/"' in body

    def test_it_asks_again_without_a_choice(self, client):
        response = client.get("/reclamaciones/", {"motivo": "otra-cosa"})

        assert response.status_code == 422
        assert "Elige una opción de la lista para continuar." in response.content.decode()

    def test_it_says_to_choose_when_continuing_without_a_choice(self, client):
        # The form as a browser sends it with no option chosen: the button only.
        page = client.get("/reclamaciones/").content.decode()
        assert '<button class="button" type="submit" name="continuar" value="1">' in page

        response = client.get("/reclamaciones/", {"continuar": "1"})

        body = response.content.decode()
        assert response.status_code == 422
        assert (
            '<div class="alert alert--error" role="alert"><p><a href="#id_motivo_0">'
            "Elige una opción para continuar.</a></p></div>" in body
        )
        assert 'id="id_motivo-error"' in body
