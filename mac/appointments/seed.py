"""Appointment demo data (illustrative): an agenda at every operating center
for each offered service that the catalog marks "requires appointment".
Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from mac.appointments.models import Agenda
from mac.catalog.models import Offer

# Entities that reserve more counters for appointments in the demo.
RESERVED_COUNTERS = {"RENIEC": 2, "MIGRACIONES": 2}


def seed_appointments(*, log: Callable[[str], None]) -> int:
    created = 0
    with transaction.atomic():
        offers = Offer.objects.filter(
            active=True,
            service__requires_appointment=True,
            service__status="published",
            center__status="operating",
        ).select_related("service__entity", "center")
        for offer in offers:
            _, made = Agenda.objects.get_or_create(
                center=offer.center,
                service=offer.service,
                defaults={
                    "counters": RESERVED_COUNTERS.get(offer.service.entity.acronym, 1),
                    "slot_minutes": 20,
                },
            )
            created += made
    log(f"Agendas de citas: {Agenda.objects.count()} ({created} nuevas)")
    return created
