"""The constancia: a PDF with the code, the date, the deadline, the entity,
the facts and the request, downloadable right after filing and sent by
email (attached) through mac/notify, with the code by SMS."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from pypdf import PdfReader

from mac.notify import sms
from mac.notify.models import Message
from mac.notify.testing import run_tasks
from mac.quality import constancia
from mac.quality.testing import file

from .pages import sheet_post

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


class TestConstancia:
    def test_it_holds_code_dates_entity_facts_and_request(self, world, clock):
        complaint = file(
            world.personas,
            facts="Esperé tres horas para el duplicado.",
            request="Que me atiendan con cita.",
        )

        text = pdf_text(constancia.constancia_pdf(complaint))

        assert "Código del reclamo RENIEC-2026-000001" in text
        assert "Fecha y hora del reclamo 3 de noviembre de 2026, 10:00" in text
        assert "Fecha límite de respuesta jueves 17 de diciembre de 2026" in text
        assert "Registro Nacional de Identificación y Estado Civil (RENIEC)" in text
        assert "Esperé tres horas para el duplicado." in text
        assert "Que me atiendan con cita." in text
        assert "Centro MAC Lima Norte" in text

    def test_it_escapes_html_in_the_facts(self, world):
        complaint = file(world.personas, facts='<img src="http://x/y.png"><b>negrita</b>')

        html = constancia.constancia_html(complaint)

        assert "&lt;img src=&quot;http://x/y.png&quot;&gt;&lt;b&gt;negrita&lt;/b&gt;" in html
        assert "<b>negrita</b>" not in html

    def test_the_browser_that_filed_downloads_it(self, client, world, clock):
        client.post("/reclamaciones/hoja/", sheet_post(world.personas))

        response = client.get("/reclamaciones/constancia/")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="constancia-RENIEC-2026-000001.pdf"'
        )
        assert response.content.startswith(b"%PDF-")

    def test_another_browser_does_not(self, client, world):
        file(world.personas)

        assert client.get("/reclamaciones/constancia/").status_code == 404

    def test_it_is_emailed_with_the_pdf_and_the_code_goes_by_sms(
        self, world, clock, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            file(world.personas, phone="987 654 321")
            run_tasks()
        run_tasks()

        [email] = mail.outbox
        assert email.to == ["ana@example.pe"]
        assert email.subject == "Registramos tu reclamo RENIEC-2026-000001"
        assert "Fecha límite de respuesta: jueves 17 de diciembre de 2026" in email.body
        [(name, content, mimetype)] = email.attachments
        assert (name, mimetype) == ("constancia-RENIEC-2026-000001.pdf", "application/pdf")
        assert "RENIEC-2026-000001" in pdf_text(content)
        [text] = sms.outbox
        assert text.to == "+51987654321"
        assert text.message == (
            "MAC: registramos tu reclamo RENIEC-2026-000001. Respuesta hasta el jueves 17 de "
            "diciembre de 2026. Síguelo en http://127.0.0.1:8000/reclamaciones/seguimiento/"
        )
        assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
