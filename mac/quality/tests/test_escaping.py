"""What a citizen types is stored as they typed it and shown escaped: HTML
or script in the facts never runs in the staff's browser."""

from __future__ import annotations

import pytest

from mac.quality.testing import file

pytestmark = pytest.mark.django_db

ATTACK = '<script>alert("x")</script><img src=x onerror="alert(1)">'


class TestEscaping:
    def test_it_stores_the_text_and_shows_it_escaped_to_staff(self, client, world):
        complaint = file(
            world.personas, facts=f"Me trataron mal. {ATTACK}", request="<b>Disculpas</b>"
        )
        client.force_login(world.olga)

        body = client.get(f"/reclamaciones/personal/{complaint.pk}/").content.decode()

        assert complaint.facts == f"Me trataron mal. {ATTACK}"
        assert (
            '<div class="text-block" id="hechos">Me trataron mal. '
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</div>"
        ) in body
        assert '<div class="text-block" id="pedido">&lt;b&gt;Disculpas&lt;/b&gt;</div>' in body
        assert "<script>alert" not in body
        assert "<img src=x" not in body

    def test_it_escapes_the_answer_on_the_tracking_page(self, client, world):
        from mac.quality import actions

        complaint = file(world.personas, consent_email=False)
        actions.take_in_process(complaint.pk, by=world.olga)
        actions.answer(complaint.pk, text="<script>alert(2)</script>", by=world.olga)
        client.post(
            "/reclamaciones/seguimiento/",
            {"code": complaint.code, "document_type": "dni", "document_number": "10117410"},
        )

        body = client.get("/reclamaciones/seguimiento/reclamo/").content.decode()

        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body
        assert "<script>alert(2)" not in body
