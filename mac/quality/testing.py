"""Builders for complaint tests and demo data: a valid claim sheet, the
entities' officers, files with real signatures."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile

from mac.accounts.models import Role, User
from mac.core.testing import CITIZEN_DNI, PASSWORD, Personas
from mac.quality import actions
from mac.quality.actions import ClaimSheet
from mac.quality.models import Channel, Complaint, ComplaintOfficer

# Comas, Lima (INEI ubigeo), where Centro MAC Lima Norte is.
COMAS = "150110"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
# A Windows executable (MZ header) and a Linux one (ELF).
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64
ELF_BYTES = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def sheet(personas: Personas, **changes: Any) -> ClaimSheet:
    """A complete, valid sheet about RENIEC at Centro MAC Lima Norte."""
    base = ClaimSheet(
        entity=personas.reniec,
        channel=Channel.CENTER,
        center=personas.lima_norte,
        category=Complaint.Category.DELAY,
        full_name="Ana Quispe Mamani",
        document_type="dni",
        document_number=CITIZEN_DNI,
        address="Jr. Los Pinos 123, Urb. El Retablo",
        district=COMAS,
        email="ana@example.pe",
        phone="",
        facts="Esperé tres horas para el duplicado de DNI y nadie informaba.",
        request="Que mejoren la atención y me den una cita preferente.",
        consent_email=True,
    )
    return replace(base, **changes)


def upload(content: bytes, name: str) -> ContentFile[bytes]:
    return ContentFile(content, name=name)


def make_officers(personas: Personas) -> dict[str, User]:
    """Olga (officer) and Omar (alternate) for RENIEC; Sofía (officer) for SUNAT;
    named by Alice, the national supervisor."""
    people = {
        "olga": User.objects.create_user(
            "olga",
            "olga@reniec.example.pe",
            PASSWORD,
            first_name="Olga",
            last_name="Ramos",
            entity=personas.reniec,
            is_staff=True,
        ),
        "omar": User.objects.create_user(
            "omar",
            "omar@reniec.example.pe",
            PASSWORD,
            first_name="Omar",
            last_name="Díaz",
            entity=personas.reniec,
            is_staff=True,
        ),
        "sofia": User.objects.create_user(
            "sofia",
            "sofia@sunat.example.pe",
            PASSWORD,
            first_name="Sofía",
            last_name="León",
            role=Role.ENTITY_SUPERVISOR,
            entity=personas.sunat,
            is_staff=True,
        ),
    }
    actions.save_officers(
        ComplaintOfficer(entity=personas.reniec, officer=people["olga"], alternate=people["omar"]),
        by=personas.alice,
    )
    actions.save_officers(
        ComplaintOfficer(entity=personas.sunat, officer=people["sofia"]), by=personas.alice
    )
    return people


def file(personas: Personas, *, now: dt.datetime | None = None, **changes: Any) -> Complaint:
    return actions.file_complaint(sheet(personas, **changes), now=now)
