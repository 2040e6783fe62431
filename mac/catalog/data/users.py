"""Demo staff accounts, one per role at least. Passwords are set only when the
account is created, so a password changed later survives `mac seed`."""

from __future__ import annotations

from typing import Any

# username, first name, last name, role, entity acronym, center slug, is_staff
USERS: list[dict[str, Any]] = [
    {
        "username": "admin",
        "first_name": "Administración",
        "last_name": "MAC",
        "role": "",
        "superuser": True,
    },
    {
        "username": "supervisor.nacional",
        "first_name": "Rosa",
        "last_name": "Quispe Mamani",
        "role": "national_supervisor",
        "staff": True,
    },
    {
        "username": "coordinador.limanorte",
        "first_name": "Jorge",
        "last_name": "Salazar Ríos",
        "role": "center_coordinator",
        "center": "lima-norte",
        "staff": True,
    },
    {
        "username": "coordinadora.arequipa",
        "first_name": "Milagros",
        "last_name": "Zegarra Paz",
        "role": "center_coordinator",
        "center": "arequipa",
        "staff": True,
    },
    {
        "username": "supervisora.reniec",
        "first_name": "Carmen",
        "last_name": "Huamán Torres",
        "role": "entity_supervisor",
        "entity": "RENIEC",
        "staff": True,
    },
    {
        "username": "asesor.reniec.limanorte",
        "first_name": "Luis",
        "last_name": "Ccori Apaza",
        "role": "advisor",
        "entity": "RENIEC",
        "center": "lima-norte",
    },
    {
        "username": "asesora.sunat.arequipa",
        "first_name": "Ana",
        "last_name": "Flores Chávez",
        "role": "advisor",
        "entity": "SUNAT",
        "center": "arequipa",
    },
    {
        "username": "orientacion.limanorte",
        "first_name": "Kevin",
        "last_name": "Ramos Vega",
        "role": "orientation",
        "center": "lima-norte",
    },
    {
        "username": "operadora.alomac",
        "first_name": "Yolanda",
        "last_name": "Condori Ticona",
        "role": "call_center",
    },
    {
        "username": "editor.reniec",
        "first_name": "Diego",
        "last_name": "Paredes León",
        "role": "catalog_editor",
        "entity": "RENIEC",
        "staff": True,
    },
    {
        "username": "editora.sunat",
        "first_name": "Patricia",
        "last_name": "Mendoza Soto",
        "role": "catalog_editor",
        "entity": "SUNAT",
        "staff": True,
    },
]


def demo_password(username: str) -> str:
    return f"demo-{username}-2026"
