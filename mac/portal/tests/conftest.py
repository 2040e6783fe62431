"""Catalog data the portal tests share: a few services at two centers, made
with the builders of mac.core.testing (not the demo seed)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps

from mac.catalog.models import UIT, Category, Entity, Requirement, Service, Synonym
from mac.centers.models import Center, OpeningException
from mac.core.calendar import today_lima
from mac.core.models import District
from mac.core.testing import make_center, make_entity, make_service
from mac.core.ubigeo import load as load_ubigeo

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld_of(html: str) -> dict:
    """The page's JSON-LD block, parsed."""
    match = JSON_LD.search(html)
    assert match, "no JSON-LD block in the page"
    return json.loads(match.group(1))


@dataclass
class Catalog:
    mtc: Entity
    migraciones: Entity
    lima_norte: Center
    arequipa: Center
    ayacucho: Center
    licence: Service
    passport: Service
    draft: Service
    identity: Category
    vehicles: Category


@pytest.fixture
def ubigeo(db: None) -> None:
    """Ubigeo rows: loaded by a migration, but a transactional test that ran
    before (live_server) flushes them; load them back when missing."""
    if not District.objects.exists():
        load_ubigeo(apps)


@pytest.fixture
def catalog(db: None, ubigeo: None) -> Catalog:
    UIT.objects.create(year=today_lima().year, value=Decimal("5500.00"), legal_basis="DS de prueba")
    mtc = make_entity("MTC", name="Ministerio de Transportes y Comunicaciones")
    migraciones = make_entity(
        "MIGRACIONES",
        name="Superintendencia Nacional de Migraciones",
        website="https://www.gob.pe/migraciones",
    )
    lima_norte = make_center(
        "lima-norte",
        name="Centro MAC Lima Norte",
        district="150110",
        address="Av. Los Ángeles 602, Mallplaza Comas",
        reference="Frente a la estación Naranjal",
        latitude=Decimal("-11.934500"),
        longitude=Decimal("-77.058600"),
        phone="(01) 555-0101",
    )
    arequipa = make_center(
        "arequipa", name="Centro MAC Arequipa", district="040112", address="Av. Porongoche 500"
    )
    ayacucho = make_center(
        "ayacucho",
        name="Centro MAC Ayacucho",
        district="050101",
        status=Center.Status.UNDER_IMPLEMENTATION,
    )
    identity = Category.objects.create(
        name="Documentos de identidad y viaje",
        slug="identidad",
        kind=Category.Kind.CATEGORY,
    )
    vehicles = Category.objects.create(
        name="Voy a manejar un vehículo",
        slug="manejar",
        kind=Category.Kind.LIFE_EVENT,
        description="Licencias, placas y récord de conductor.",
    )
    licence = make_service(
        mtc,
        "Emisión o duplicado de licencia de conducir clase A categoría I",
        plain_name="Licencia de conducir",
        description="Obtén tu licencia de conducir por primera vez o un duplicado.",
        keywords="brevete, licencia, manejar, carro",
        qualification=Service.Qualification.PRIOR_EVALUATION,
        silence=Service.Silence.POSITIVE,
        fee=Decimal("24.70"),
        deadline_days=7,
        competent_unit="Dirección de Circulación Vial",
        legal_basis="DS 007-2016-MTC, Reglamento de licencias de conducir",
        reconsideration_authority="Dirección de Circulación Vial",
        appeal_authority="Dirección General de Autorizaciones en Transportes",
        requires_appointment=True,
        is_illustrative=True,
        requirements=[
            "Solicitud firmada.",
            "Certificado de salud para licencias de conducir vigente.",
            "Aprobar el examen de manejo.",
        ],
        channels=["center", "phone", "online"],
        centers=[lima_norte],
    )
    Requirement.objects.filter(service=licence, order=2).update(
        notes="Lo emite un establecimiento de salud autorizado.",
        form_name="Formulario F-01",
        form_url="https://www.gob.pe/formulario-f01",
    )
    licence.categories.add(vehicles)
    Synonym.objects.create(term="brevete", expansion="licencia de conducir")
    passport = make_service(
        migraciones,
        "Emisión de pasaporte electrónico",
        plain_name="Pasaporte electrónico",
        fee=Decimal("120.90"),
        deadline_days=None,
        requires_appointment=True,
        requirements=["Presentar el DNI vigente.", "Pagar el derecho de trámite."],
        channels=["center", "express"],
        centers=[lima_norte, arequipa],
    )
    passport.categories.add(identity)
    draft = make_service(
        migraciones,
        "Trámite en borrador",
        status=Service.Status.DRAFT,
        centers=[lima_norte],
    )
    OpeningException.objects.create(
        center=lima_norte,
        date=today_lima() + dt.timedelta(days=3),
        closed=True,
        reason="Inventario anual",
    )
    return Catalog(
        mtc=mtc,
        migraciones=migraciones,
        lima_norte=lima_norte,
        arequipa=arequipa,
        ayacucho=ayacucho,
        licence=licence,
        passport=passport,
        draft=draft,
        identity=identity,
        vehicles=vehicles,
    )
