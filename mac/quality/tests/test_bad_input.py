"""A claim with anything wrong is refused with a clear message and leaves
nothing behind: no row, no number taken, no file on disk, no task."""

from __future__ import annotations

from unittest import mock

import pytest
from django_tasks_db.models import DBTaskResult

from mac.quality import actions
from mac.quality.errors import Invalid
from mac.quality.models import CodeSequence, Complaint, ComplaintAttachment
from mac.quality.testing import (
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    sheet,
    upload,
)

from .conftest import stored_files

MB = 1024 * 1024


def assert_nothing_stored(world) -> None:
    assert Complaint.objects.count() == 0
    assert ComplaintAttachment.objects.count() == 0
    assert CodeSequence.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert stored_files(world.media) == []


def refused(world, attachments=(), **changes) -> Invalid:
    with pytest.raises(Invalid) as caught:
        actions.file_complaint(sheet(world.personas, **changes), attachments=list(attachments))
    assert_nothing_stored(world)
    return caught.value


@pytest.mark.django_db
class TestBadInput:
    def test_it_accepts_pdf_jpeg_and_png_by_their_content(self, world):
        complaint = actions.file_complaint(
            sheet(world.personas),
            attachments=[
                upload(PDF_BYTES, "recibo.pdf"),
                upload(JPEG_BYTES, "foto cola.JPG"),
                upload(PNG_BYTES, "captura"),
            ],
        )

        kept = list(complaint.attachments.values_list("name", "content_type", "size"))
        assert kept == [
            ("recibo.pdf", "application/pdf", len(PDF_BYTES)),
            ("foto_cola.JPG", "image/jpeg", len(JPEG_BYTES)),
            ("captura", "image/png", len(PNG_BYTES)),
        ]
        files = stored_files(world.media)
        assert sorted(f.suffix for f in files) == [".jpg", ".pdf", ".png"]
        assert sorted(f.read_bytes() for f in files) == sorted([PDF_BYTES, JPEG_BYTES, PNG_BYTES])

    def test_it_refuses_an_executable_named_pdf(self, world):
        error = refused(world, [upload(PDF_BYTES, "ok.pdf"), upload(EXE_BYTES, "recibo.pdf")])

        assert (error.code, error.field) == ("attachment_type", "attachments")
        assert error.message == (
            "El archivo «recibo.pdf» no es un PDF, JPG ni PNG. Revisamos su contenido, "
            "no solo su nombre."
        )

    def test_it_refuses_attachments_over_20_mb_in_total(self, world):
        big = PDF_BYTES + b"0" * (12 * MB)

        error = refused(world, [upload(big, "a.pdf"), upload(big, "b.pdf")])

        assert error.code == "attachments_too_large"
        assert error.message == (
            "Los archivos adjuntos suman 24.0 MB; el límite es 20 MB en total. "
            "Quita alguno o redúcelos."
        )

    def test_it_accepts_exactly_20_mb(self, world):
        exact = PDF_BYTES + b"0" * (20 * MB - len(PDF_BYTES))

        complaint = actions.file_complaint(
            sheet(world.personas), attachments=[upload(exact, "a.pdf")]
        )

        assert complaint.attachments.get().size == 20 * MB

    def test_it_refuses_an_empty_file(self, world):
        assert refused(world, [upload(b"", "vacio.pdf")]).code == "empty_attachment"

    def test_it_refuses_more_than_five_files(self, world):
        files = [upload(PDF_BYTES, f"{i}.pdf") for i in range(6)]

        assert refused(world, files).code == "too_many_attachments"

    @pytest.mark.parametrize(
        ("label", "changes", "code", "message"),
        [
            (
                "DNI with 7 digits",
                {"document_number": "1011741"},
                "invalid_document",
                "El DNI tiene 8 dígitos.",
            ),
            (
                "DNI with a wrong check character",
                {"document_number": "10117410-3"},
                "invalid_document",
                "El dígito de verificación del DNI no corresponde.",
            ),
            (
                "no email nor phone",
                {"email": "", "phone": "", "consent_email": False},
                "no_contact",
                "Escribe un correo o un teléfono: por ahí te avisamos de tu reclamo.",
            ),
            (
                "consent not answered",
                {"consent_email": None},
                "no_consent",
                "Indica si aceptas que te respondamos por correo electrónico.",
            ),
            (
                "consent without an email",
                {"email": "", "phone": "987654321", "consent_email": True},
                "consent_without_email",
                "Para responderte por correo, escribe tu correo electrónico.",
            ),
            (
                "an invalid phone",
                {"phone": "12345"},
                "invalid_phone",
                "El teléfono no es válido. Escribe un celular, por ejemplo 987 654 321.",
            ),
            (
                "an unknown district",
                {"district": "999999"},
                "invalid_district",
                "Elige el departamento, la provincia y el distrito de tu domicilio.",
            ),
            (
                "a minor without representative",
                {"is_minor": True},
                "representative_name_required",
                "Completa «Nombre del padre, madre o apoderado».",
            ),
            (
                "empty facts",
                {"facts": "   "},
                "facts_required",
                "Completa «Descripción de los hechos».",
            ),
            (
                "a NUL character",
                {"facts": "hola\x00"},
                "control_characters",
                "«Descripción de los hechos» tiene caracteres no válidos.",
            ),
            (
                "a center channel without center",
                {"center": None},
                "no_center",
                "Elige el Centro MAC donde te atendieron.",
            ),
        ],
    )
    def test_it_refuses_bad_fields(self, world, label, changes, code, message):
        error = refused(world, [upload(PDF_BYTES, "recibo.pdf")], **changes)

        assert (error.code, error.message) == (code, message), label

    def test_it_deletes_written_files_when_the_transaction_fails(self, world):
        # given the insert of the attachments' rows fails after the files were written
        boom = mock.patch.object(
            ComplaintAttachment.objects, "bulk_create", side_effect=RuntimeError("disco lleno")
        )

        # when
        with boom, pytest.raises(RuntimeError):
            actions.file_complaint(
                sheet(world.personas), attachments=[upload(PDF_BYTES, "recibo.pdf")]
            )

        # then the transaction rolled back and the file is gone too
        assert_nothing_stored(world)

    @pytest.mark.parametrize("value", ["²", "٣", "9" * 5000])
    def test_it_refuses_an_entity_or_center_that_is_not_an_id(self, world, value):
        assert refused(world, entity=value).code == "invalid_entity"
        assert refused(world, center=value).code == "invalid_center"

    @pytest.mark.parametrize("name", ["¿¿??", "..", "   "])
    def test_a_file_name_of_symbols_only_is_stored_as_archivo(self, world, name):
        complaint = actions.file_complaint(
            sheet(world.personas), attachments=[upload(PDF_BYTES, name)]
        )
        assert complaint.attachments.get().name == "archivo"
