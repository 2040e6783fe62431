"""The long texts of the complaints book say how long they may be: the
browser stops a text at its limit without a word (a pasted account of what
happened is cut short), so the hint next to the box tells the limit first."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


class TestTextLimits:
    def test_it_tells_the_limits_of_the_claim_texts(self, client, world):
        body = client.get("/reclamaciones/hoja/").content.decode()

        assert (
            '<p class="hint" id="id_facts-hint">Cuenta qué pasó, cuándo y dónde, con tus palabras.'
            " Hasta 4000 caracteres.</p>" in body
        )
        assert (
            '<p class="hint" id="id_request-hint">Qué esperas que haga la entidad.'
            " Hasta 2000 caracteres.</p>" in body
        )
        assert 'maxlength="4000" aria-describedby="id_facts-hint"' in body

    def test_it_tells_the_limit_of_a_compliment(self, client, world):
        body = client.get("/felicitaciones/").content.decode()

        assert '<p class="hint" id="id_text-hint">Hasta 2000 caracteres.</p>' in body
        assert 'maxlength="2000" aria-describedby="id_text-hint"' in body

    def test_it_tells_the_limit_in_quechua(self, client, world):
        client.post("/i18n/setlang/", {"language": "qu", "next": "/"})

        body = client.get("/felicitaciones/").content.decode()

        assert '<p class="hint" id="id_text-hint">2000 caracterkama.</p>' in body

    def test_it_keeps_the_hint_and_the_error_described(self, client, world):
        response = client.post("/reclamaciones/hoja/", {"facts": "x" * 4001})

        body = response.content.decode()
        assert response.status_code == 422
        assert 'aria-describedby="id_facts-hint id_facts-error" aria-invalid="true"' in body
