"""The no-hoarding limits are counted in one statement on every confirmation
(`actions.limits._limit_counts`, plain SQL): over bookings of every status,
time and contact, it counts what the ORM's definitions select (the document's active
bookings, `Booking.objects.active_for_document`; the other people on a
contact; the no-show restriction, `actions.restricted_until`)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest
from django.db.models import Count, Q

from mac.appointments import actions
from mac.appointments.actions import limits
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import MORNING
from mac.catalog.models import Service
from mac.core.testing import make_entity
from mac.queueing.testing import queue_service

pytestmark = pytest.mark.django_db
NOW = MORNING
DOCUMENTS = ["10117410", "40506070", "44556677"]
# Two recent no-shows, the last one longer ago than the restriction lasts.
SERVED_TIME = "41234567"
EMAILS = ["ana@example.pe", "luis@example.pe"]
PHONES = ["+51987654321", "+51912345678"]
STATUSES = [choice for choice, _ in Booking.Status.choices]


def reference(
    service: Service, number: str, email: str, phone: str, excluding: Booking | None
) -> dict[str, Any]:
    """The counts as the ORM defines them (the queries of the version before
    the single statement)."""
    active = Booking.objects.active_for_document("dni", number, NOW)
    if excluding is not None:
        active = active.exclude(pk=excluding.pk)
    counts = active.aggregate(
        same_service=Count("pk", filter=Q(service=service)),
        same_entity=Count("pk", filter=Q(service__entity=service.entity_id)),
    )
    contact = Q()
    if email:
        contact |= Q(email=email)
    if phone:
        contact |= Q(phone=phone)
    others = Booking.objects.filter(
        contact, status=Booking.Status.CONFIRMED, slot__start__gte=NOW
    ).exclude(document_type="dni", document_number=number)
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    return {
        **counts,
        "restricted": actions.restricted_until("dni", number, NOW) is not None,
        "contact_people": others.values("document_number").distinct().count(),
    }


def counted(
    service: Service, number: str, email: str, phone: str, excluding: Booking | None
) -> dict[str, Any]:
    found = limits._limit_counts(service, "dni", number, email, phone, NOW, excluding)
    return {
        "same_service": found.same_service,
        "same_entity": found.same_entity,
        "restricted": found.restricted,
        "contact_people": found.contact_people,
    }


@pytest.fixture
def bookings(personas) -> tuple[list[Service], list[Booking]]:
    """Bookings of three people and two contacts over four services of two
    entities: every status, slots past and to come, holds lapsed or not,
    no-shows from days to months ago."""
    sunat = make_entity("SUNAT")
    services = [
        queue_service(entity, f"Trámite {n}", personas.lima_norte)
        for n, entity in enumerate([personas.reniec, personas.reniec, sunat, sunat])
    ]
    rnd = random.Random(20261207)
    made = []
    for n in range(120):
        service = rnd.choice(services)
        start = NOW + dt.timedelta(hours=rnd.choice([-50, -1, 1, 30, 24 * 20]), minutes=n)
        slot = Slot.objects.create(
            center=personas.lima_norte,
            service=service,
            start=start,
            end=start + dt.timedelta(minutes=20),
            capacity=200,
        )
        status = rnd.choice(STATUSES)
        anonymous = status in ("held", "expired") and rnd.random() < 0.3
        email = rnd.choice([*EMAILS, ""])
        phone = rnd.choice(PHONES) if rnd.random() < 0.5 else ""
        if not (anonymous or email or phone):  # a booking made for someone has a contact
            email = EMAILS[0]
        made.append(
            Booking.objects.create(
                code=f"C{n:07d}",
                token=f"token-{n}",
                slot=slot,
                center=personas.lima_norte,
                service=service,
                status=status,
                channel="portal",
                document_type="" if anonymous else "dni",
                document_number="" if anonymous else rnd.choice(DOCUMENTS),
                email=email,
                phone=phone,
                hold_until=(
                    NOW + dt.timedelta(minutes=rnd.choice([-30, -1, 0, 1, 30]))
                    if status == "held"
                    else None
                ),
                no_show_at=(
                    NOW - dt.timedelta(days=rnd.choice([1, 29, 31, 60, 89, 91, 200]))
                    if status == "no_show"
                    else None
                ),
                created_at=NOW - dt.timedelta(days=1),
            )
        )
    for n, days in enumerate([31, 60, 120]):
        start = NOW - dt.timedelta(days=days, hours=1)
        slot = Slot.objects.create(
            center=personas.lima_norte,
            service=services[0],
            start=start,
            end=start + dt.timedelta(minutes=20),
            capacity=200,
        )
        made.append(
            Booking.objects.create(
                code=f"S{n:07d}",
                token=f"served-{n}",
                slot=slot,
                center=personas.lima_norte,
                service=services[0],
                status="no_show",
                channel="portal",
                document_type="dni",
                document_number=SERVED_TIME,
                email=EMAILS[0],
                no_show_at=NOW - dt.timedelta(days=days),
                created_at=start - dt.timedelta(days=1),
            )
        )
    return services, made


def test_the_single_statement_counts_what_the_orm_selects(bookings):
    services, made = bookings
    held = [b for b in made if b.status == "held"][:2]
    cases = list(
        itertools.product(
            services,
            [*DOCUMENTS, SERVED_TIME],
            [(EMAILS[0], ""), ("", PHONES[0]), (EMAILS[1], PHONES[1])],
            [None, *held],
        )
    )
    # the data reaches every limit somewhere
    assert all(
        any(reference(s, n, *contact, x)[key] for s, n, contact, x in cases)
        for key in ("same_service", "same_entity", "restricted", "contact_people")
    )
    for service, number, contact, excluding in cases:
        assert counted(service, number, *contact, excluding) == reference(
            service, number, *contact, excluding
        ), (service.pk, number, contact, excluding)


@pytest.mark.parametrize(
    "config",
    [
        {"NO_SHOW_STRIKES": 1, "NO_SHOW_RESTRICT_DAYS": 30},
        {"NO_SHOW_STRIKES": 3, "NO_SHOW_WINDOW_DAYS": 100, "NO_SHOW_RESTRICT_DAYS": 60},
    ],
    ids=["one strike", "three strikes in 100 days"],
)
def test_the_restriction_follows_the_settings(bookings, settings, config):
    settings.APPOINTMENTS = {**config, "POW_REQUIRED": False}
    services, _ = bookings
    for number in [*DOCUMENTS, SERVED_TIME]:
        expected = reference(services[0], number, EMAILS[0], "", None)
        assert counted(services[0], number, EMAILS[0], "", None) == expected, number
