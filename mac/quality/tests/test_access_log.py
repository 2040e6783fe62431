"""Every read of a claim's personal data by staff is logged: who, when, which
record and why (detail, attachment, constancia, CSV export)."""

from __future__ import annotations

import pytest

from mac.quality import actions
from mac.quality.models import PersonalDataAccess
from mac.quality.testing import PDF_BYTES, file, sheet, upload

from .conftest import NOW

pytestmark = pytest.mark.django_db


def log() -> list[tuple[str, str, str]]:
    return list(
        PersonalDataAccess.objects.order_by("pk").values_list("username", "purpose", "label")
    )


class TestAccessLog:
    def test_it_logs_a_detail_view(self, client, world, clock):
        complaint = file(world.personas)
        client.force_login(world.olga)

        client.get(f"/reclamaciones/personal/{complaint.pk}/")

        entry = PersonalDataAccess.objects.get()
        assert (entry.user, entry.username, entry.purpose, entry.at) == (
            world.olga,
            "olga",
            "detail",
            NOW,
        )
        assert (entry.object_type, entry.object_id, entry.label) == (
            "quality.complaint",
            str(complaint.pk),
            "RENIEC-2026-000001",
        )

    def test_it_logs_attachments_and_the_constancia(self, client, world, clock):
        complaint = actions.file_complaint(
            sheet(world.personas), attachments=[upload(PDF_BYTES, "recibo.pdf")]
        )
        attachment = complaint.attachments.get()
        client.force_login(world.personas.carol)

        got = client.get(f"/reclamaciones/personal/{complaint.pk}/adjuntos/{attachment.pk}/")
        client.get(f"/reclamaciones/personal/{complaint.pk}/constancia/")

        assert b"".join(got.streaming_content) == PDF_BYTES
        assert got["Content-Disposition"] == 'attachment; filename="recibo.pdf"'
        assert log() == [
            ("carol", "attachment", "RENIEC-2026-000001"),
            ("carol", "constancia", "RENIEC-2026-000001"),
        ]

    def test_it_logs_each_exported_record(self, client, world, clock):
        p = world.personas
        first, second = file(p), file(p)
        file(p, entity=p.sunat, center=p.arequipa)
        client.force_login(p.carol)

        response = client.get("/reclamaciones/personal/exportar.csv")

        assert response.status_code == 200
        assert log() == [
            ("carol", "export", first.code),
            ("carol", "export", second.code),
        ]

    def test_the_list_shows_no_personal_data_and_logs_nothing(self, client, world):
        file(world.personas)
        client.force_login(world.olga)

        body = client.get("/reclamaciones/personal/").content.decode()

        assert "Ana Quispe Mamani" not in body
        assert PersonalDataAccess.objects.count() == 0

    def test_a_refused_read_logs_nothing(self, client, world):
        complaint = file(world.personas)
        client.force_login(world.sofia)

        assert client.get(f"/reclamaciones/personal/{complaint.pk}/").status_code == 404
        assert PersonalDataAccess.objects.count() == 0
