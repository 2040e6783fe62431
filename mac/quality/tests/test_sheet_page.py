"""The claim sheet on the portal: filed through the page it goes to the
confirmation with its code; refused, it shows why next to the field and
stores nothing. The district select narrows to the province chosen, with
htmx or, without JavaScript, by sending the form back."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mac.core import pow
from mac.quality.models import Complaint, ComplaintAttachment
from mac.quality.testing import EXE_BYTES, PDF_BYTES

from .conftest import stored_files
from .pages import sheet_post

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


class TestSheetPage:
    def test_it_shows_the_sheet(self, client, world):
        body = client.get("/reclamaciones/hoja/").content.decode()

        assert '<h1 class="heading-xl">Hoja de reclamación</h1>' in body
        assert 'enctype="multipart/form-data"' in body
        assert "Tus datos personales" in body

    def test_it_files_a_claim_with_an_attachment(self, client, world, clock):
        data = sheet_post(world.personas)
        data["attachments"] = [SimpleUploadedFile("recibo.pdf", PDF_BYTES, "application/pdf")]

        response = client.post("/reclamaciones/hoja/", data)

        assert (response.status_code, response["Location"]) == (302, "/reclamaciones/registrado/")
        complaint = Complaint.objects.get()
        assert (complaint.code, complaint.channel, complaint.center, complaint.filed_by) == (
            "RENIEC-2026-000001",
            "center",
            world.personas.lima_norte,
            None,
        )
        assert complaint.attachments.get().name == "recibo.pdf"
        assert complaint.client_address == "127.0.0.1"
        assert complaint.due_date.isoformat() == "2026-12-17"
        page = client.get("/reclamaciones/registrado/").content.decode()
        assert '<p class="booking-code" id="codigo-reclamo">RENIEC-2026-000001</p>' in page
        assert "debe responderte hasta el jueves 17 de diciembre de 2026" in page

    def test_it_refuses_a_disguised_executable_and_stores_nothing(self, client, world):
        data = sheet_post(world.personas)
        data["attachments"] = [SimpleUploadedFile("recibo.pdf", EXE_BYTES, "application/pdf")]

        response = client.post("/reclamaciones/hoja/", data)
        body = response.content.decode()

        assert response.status_code == 422
        assert "El archivo «recibo.pdf» no es un PDF, JPG ni PNG." in body
        assert 'value="Ana Quispe Mamani"' in body  # what was typed stays
        assert (Complaint.objects.count(), ComplaintAttachment.objects.count()) == (0, 0)
        assert stored_files(world.media) == []

    def test_it_refuses_more_than_20_mb_and_stores_nothing(self, client, world):
        data = sheet_post(world.personas)
        big = PDF_BYTES + b"0" * (11 * MB)
        data["attachments"] = [
            SimpleUploadedFile("a.pdf", big, "application/pdf"),
            SimpleUploadedFile("b.pdf", big, "application/pdf"),
        ]

        response = client.post("/reclamaciones/hoja/", data)

        assert response.status_code == 422
        assert "el límite es 20 MB en total" in response.content.decode()
        assert Complaint.objects.count() == 0
        assert stored_files(world.media) == []

    @pytest.mark.parametrize(
        ("label", "changes", "message"),
        [
            ("invalid DNI", {"document_number": "123"}, "El DNI tiene 8 dígitos."),
            (
                "no consent answer",
                {"consent_email": None},
                "Indica si aceptas que te respondamos por correo electrónico.",
            ),
            (
                "no contact",
                {"email": "", "consent_email": "no"},
                "Escribe un correo o un teléfono: por ahí te avisamos de tu reclamo.",
            ),
            ("no center", {"center": ""}, "Elige el Centro MAC donde te atendieron."),
        ],
    )
    def test_it_shows_why_a_claim_is_refused(self, client, world, label, changes, message):
        response = client.post("/reclamaciones/hoja/", sheet_post(world.personas, **changes))

        assert response.status_code == 422, label
        assert message in response.content.decode(), label
        assert Complaint.objects.count() == 0

    def test_it_narrows_the_districts_with_htmx(self, client, world):
        provinces = client.get(
            "/reclamaciones/ubigeo/", {"parte": "provincia", "department": "04"}
        ).content.decode()
        districts = client.get(
            "/reclamaciones/ubigeo/", {"parte": "distrito", "department": "04", "province": "0401"}
        ).content.decode()

        assert '<option value="0401">Arequipa</option>' in provinces
        assert '<option value="1501">' not in provinces
        assert '<option value="040112">Paucarpata (040112)</option>' in districts
        assert 'value="150110"' not in districts

    def test_it_narrows_the_districts_without_javascript(self, client, world):
        data = sheet_post(world.personas, province="", district="", department="04", mostrar="1")

        response = client.post("/reclamaciones/hoja/", data)
        body = response.content.decode()

        assert response.status_code == 200
        assert '<option value="0401">Arequipa</option>' in body
        assert "alert--error" not in body
        assert Complaint.objects.count() == 0

    def test_it_requires_the_proof_of_work_when_configured(self, client, world, settings):
        settings.QUALITY = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}
        data = sheet_post(world.personas)

        refused = client.post("/reclamaciones/hoja/", data)
        challenge = pow.new_challenge(purpose=pow.Purpose.COMPLAINTS, max_number=10, seconds=60)
        accepted = client.post("/reclamaciones/hoja/", {**data, "pow": pow.solve(challenge)})

        assert refused.status_code == 400
        assert accepted.status_code == 302
        assert Complaint.objects.count() == 1
