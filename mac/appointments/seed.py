"""Appointment demo data (illustrative): an agenda at every operating center
for each offered service that the catalog marks "requires appointment".
Idempotent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from mac.appointments import actions
from mac.appointments.errors import AppointmentError
from mac.appointments.models import Agenda, Booking, BookingChannel
from mac.catalog.models import Offer
from mac.centers.models import Center
from mac.core.calendar import add_business_days, today_lima
from mac.core.documents import DocumentType
from mac.queueing.queries import serving_languages

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


# Sample bookings: a few citizens booked at the first centers for the next two
# business days, by the portal and the API, some on the portal in Quechua.
SAMPLE_CENTERS = 3
SAMPLE_PER_DAY = 3


def _attention_language(agenda: Agenda, *, quechua: bool) -> str:
    """Attended in Quechua only where a counter of the center serves the
    service in it (booking refuses any other: its check-in would be
    refused); elsewhere in Spanish, though the notices go in Quechua."""
    if quechua and "qu" in serving_languages(agenda.center_id, agenda.service_id):
        return "qu"
    return "es"


def seed_sample_bookings(*, log: Callable[[str], None], today: dt.date | None = None) -> int:
    """Book a few slots of each agenda at the first operating centers (by
    slug) on the next two business days. Idempotent: once any booking exists,
    it adds nothing. Confirmations go out through mac.notify like any other.
    Agendas of a service no counter of the center serves take no bookings
    (none in the demo: every offered service has a counter)."""
    if Booking.objects.exists():
        log(f"Citas de ejemplo: {Booking.objects.count()} reservas (0 nuevas)")
        return 0
    today = today or today_lima()
    days = [add_business_days(today, 1), add_business_days(today, 2)]
    centers = Center.objects.operating().order_by("slug")[:SAMPLE_CENTERS]
    agendas = (
        Agenda.objects.filter(center__in=list(centers))
        .select_related("center", "service")
        .order_by("center__slug", "service__code")
    )
    made = 0
    for agenda in agendas:
        for day in days:
            try:
                slots = actions.open_day(agenda.center, agenda.service, day)
            except AppointmentError:  # closed that day (or no counter serves it)
                continue
            # Spread over the day: the 2nd, the middle and the second to last slot.
            last = len(slots) - 1
            picks = sorted({min(1, last), len(slots) // 2, max(last - 1, 0)}) if slots else []
            for slot in [slots[i] for i in picks][:SAMPLE_PER_DAY]:
                made += 1
                actions.book(
                    slot.pk,
                    agenda.service,
                    document_type=DocumentType.DNI,
                    document_number=f"4{made:07d}",
                    email=f"ciudadano.demo{made}@example.pe",
                    language="qu" if made % 7 == 0 else "es",
                    attention_language=_attention_language(agenda, quechua=made % 7 == 0),
                    channel=BookingChannel.API if made % 3 == 0 else BookingChannel.PORTAL,
                )
    log(f"Citas de ejemplo: {made} reservas en {len(centers)} centros")
    return made
