"""Complaints-book demo data (illustrative): each entity with a demo entity
supervisor gets that person as the officer of its book. Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from mac.accounts.models import Role, User
from mac.catalog.models import Entity
from mac.core.documents import DocumentType
from mac.quality.models import ComplaintOfficer


def seed_quality(*, log: Callable[[str], None]) -> int:
    made = 0
    with transaction.atomic():
        supervisors = User.objects.filter(
            role=Role.ENTITY_SUPERVISOR, is_active=True, entity__isnull=False
        ).order_by("pk")
        for user in supervisors:
            assert user.entity_id is not None
            _, created = ComplaintOfficer.objects.get_or_create(
                entity_id=user.entity_id,
                defaults={"officer": user, "designation": "Designación ilustrativa (demo)"},
            )
            made += created
    log(f"Libro de Reclamaciones: {ComplaintOfficer.objects.count()} responsables ({made} nuevos)")
    return made


# Sample claims at the first operating center (by slug): (entity, category,
# facts, request, how far along). Illustrative texts, written for the demo.
SAMPLE_CLAIMS = [
    (
        "RENIEC",
        "demora",
        "Esperé más de una hora para el duplicado de DNI aunque había módulos sin atender.",
        "Que se habiliten más módulos en las horas de mayor afluencia.",
        "answered",
    ),
    (
        "RENIEC",
        "informacion",
        "Me indicaron requisitos distintos a los publicados en el portal para el DNI de mi hija.",
        "Que la información del módulo coincida con la del portal.",
        "in_process",
    ),
    (
        "MIGRACIONES",
        "trato",
        "El asesor no me explicó por qué rechazaba mi solicitud de pasaporte.",
        "Una explicación por escrito de los motivos.",
        "registered",
    ),
]
SAMPLE_ANSWER = (
    "Lamentamos la demora. Desde la próxima semana reforzamos los módulos de 8:30 a 11:00, "
    "las horas de mayor afluencia."
)


def seed_sample_claims(*, log: Callable[[str], None]) -> int:
    """File the sample claims through the complaints book's own actions (codes,
    deadlines, officers, notices), one answered and one in process.
    Idempotent: once any claim exists, it adds nothing."""
    from mac.centers.models import Center
    from mac.quality import actions
    from mac.quality.models import Complaint

    if Complaint.objects.exists():
        log(f"Reclamos de ejemplo: {Complaint.objects.count()} (0 nuevos)")
        return 0
    center = Center.objects.operating().order_by("slug").first()
    if center is None:
        return 0
    officers = {
        o.entity.acronym: o.officer for o in ComplaintOfficer.objects.select_related("entity")
    }
    entities = {
        e.acronym: e for e in Entity.objects.filter(acronym__in=[c[0] for c in SAMPLE_CLAIMS])
    }
    made = 0
    for n, (acronym, category, facts, request, stage) in enumerate(SAMPLE_CLAIMS, 1):
        entity = entities.get(acronym)
        if entity is None:
            continue
        complaint = actions.file_complaint(
            actions.ClaimSheet(
                entity=entity,
                channel="center",
                center=center,
                category=category,
                full_name=f"Ciudadana de ejemplo {n}",
                document_type=DocumentType.DNI,
                document_number=f"7{n:07d}",
                address="Jr. Ejemplo 123",
                district="150101",
                facts=facts,
                request=request,
                consent_email=True,
                email=f"reclamo.demo{n}@example.pe",
            )
        )
        made += 1
        officer = officers.get(acronym)
        if officer is None:  # no officer designated: it waits in the book
            continue
        if stage in ("in_process", "answered"):
            actions.take_in_process(complaint.pk, by=officer)
        if stage == "answered":
            actions.answer(complaint.pk, text=SAMPLE_ANSWER, by=officer)
    log(f"Reclamos de ejemplo: {made}")
    return made
