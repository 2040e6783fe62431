"""What the claim sheet's form sends."""

from __future__ import annotations

from typing import Any

from mac.core.testing import CITIZEN_DNI, Personas
from mac.quality.testing import COMAS


def sheet_post(personas: Personas, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "entity": str(personas.reniec.pk),
        "channel": "center",
        "center": str(personas.lima_norte.pk),
        "category": "demora",
        "full_name": "Ana Quispe Mamani",
        "document_type": "dni",
        "document_number": CITIZEN_DNI,
        "address": "Jr. Los Pinos 123",
        "department": COMAS[:2],
        "province": COMAS[:4],
        "district": COMAS,
        "email": "ana@example.pe",
        "phone": "",
        "facts": "Esperé tres horas y nadie informaba.",
        "unit_involved": "Módulo 4",
        "request": "Que mejoren la atención.",
        "consent_email": "si",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
