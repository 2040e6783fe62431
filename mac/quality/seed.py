"""Complaints-book demo data (illustrative): each entity with a demo entity
supervisor gets that person as the officer of its book. Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from mac.accounts.models import Role, User
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
