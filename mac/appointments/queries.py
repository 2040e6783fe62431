"""Reads behind the public appointment pages and the links to them from the
portal: which services and centers give appointments, the languages of
attention a booking may ask for, and a hold by its secret token. Writes stay
in actions.py.

A center gives appointments for a service when it has an active agenda for
it, it operates, the service is published and its entity active, and an
active counter of the center has the service among its skills: a booking
nobody could serve would only be refused at check-in, as the queue refuses
its ticket (`service_unstaffed`). The actions refuse it too, reading the
counters' cached skills (`queueing.queries.staffed_services`); the pages ask
the database, so after a change of counters another worker may disagree
until its cache next checks the configuration generation (about a second,
`queueing.cache.CHECK_EVERY`)."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.db.models import Exists, OuterRef, QuerySet

from mac.appointments.models import Agenda, Booking
from mac.catalog.models import Entity, Service
from mac.catalog.search import search_services
from mac.centers.models import Center
from mac.core.params import parse_id
from mac.queueing.models import Counter, Language
from mac.queueing.queries import serving_languages


def _active_agendas() -> QuerySet[Agenda]:
    staffed = Counter.services.through.objects.filter(
        counter__center_id=OuterRef("center_id"),
        counter__active=True,
        service_id=OuterRef("service_id"),
    )
    return Agenda.objects.filter(
        Exists(staffed),
        active=True,
        center__status=Center.Status.OPERATING,
        service__status=Service.Status.PUBLISHED,
        service__entity__status=Entity.Status.ACTIVE,
    )


def bookable_services(query: str = "") -> list[Service]:
    """Published services that some operating center books, ordered by entity
    and name; with `query`, only those the catalog search finds for it."""
    ids = set(_active_agendas().values_list("service_id", flat=True))
    services = Service.objects.filter(pk__in=ids).select_related("entity")
    if query:
        found = [pk for pk in search_services(query).ids if pk in ids]
        services = services.filter(pk__in=found)
    return list(services.order_by("entity__acronym", "plain_name"))


def services_by_entity(services: list[Service]) -> list[tuple[Entity, list[Service]]]:
    return [(entity, list(group)) for entity, group in groupby(services, key=lambda s: s.entity)]


def bookable_service(raw: str | None) -> Service | None:
    """The service of a `servicio` parameter if some center books it."""
    pk = parse_id(raw)
    if pk is None:
        return None
    return (
        Service.objects.filter(pk=pk, pk__in=_active_agendas().values("service_id"))
        .select_related("entity")
        .first()
    )


def centers_booking(service: Service) -> list[Center]:
    """Operating centers with an active agenda for `service`."""
    return list(
        Center.objects.filter(pk__in=_active_agendas().filter(service=service).values("center_id"))
        .select_related("ubigeo", "region")
        .order_by("name")
    )


def center_booking(service: Service, slug: str | None) -> Center | None:
    if not slug:
        return None
    return (
        Center.objects.filter(
            slug=slug, pk__in=_active_agendas().filter(service=service).values("center_id")
        )
        .prefetch_related("hours", "exceptions")
        .first()
    )


def service_has_agenda(service: Service) -> bool:
    return _active_agendas().filter(service=service).exists()


def services_booked_at(center: Center) -> set[int]:
    """Ids of the services `center` gives appointments for (one query)."""
    return set(_active_agendas().filter(center=center).values_list("service_id", flat=True))


def center_books(center: Center) -> bool:
    return _active_agendas().filter(center=center).exists()


def center_books_service(center: Center, service: Service) -> bool:
    """Whether `center` gives appointments for `service` (an active agenda)."""
    return _active_agendas().filter(center=center, service=service).exists()


def attention_languages(center: Center, service: Service) -> list[str]:
    """The languages a booking at `center` for `service` may be attended in:
    Spanish, and those an active counter of the center serves it in (the
    queue's cached skills), in the order of `Language`."""
    served = serving_languages(center.pk, service.pk) | {Language.SPANISH}
    return [code for code in Language.values if code in served]


def held(token: str) -> Booking | None:
    """The booking a hold link points at, whatever its state now."""
    return (
        Booking.objects.filter(token=token)
        .select_related("slot", "center", "service__entity")
        .first()
    )


def open_days(center: Center, start: dt.date, end: dt.date) -> list[dt.date]:
    """Days from `start` to `end` (inclusive) on which the center opens, by
    the centers' rule (`Center.hours_on`: its exception for the day, else not
    on a holiday or a declared non-working day, else its weekly hours).
    `center` should come with its hours and exceptions prefetched."""
    days = []
    day = start
    while day <= end:
        if center.hours_on(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# The queue's view of bookings: citizens booked near now who have not checked
# in yet (the simulator's window: mac/queueing/sim_day.py).
UPCOMING_BEFORE = dt.timedelta(minutes=10)
UPCOMING_AHEAD = dt.timedelta(hours=1)


def upcoming_for_queue(center_id: int, now: dt.datetime) -> tuple[tuple[str, float], ...]:
    """(service code, slot start as epoch seconds) of every place booked at
    the center from ten minutes ago to an hour ahead and not checked in, for
    the routing policy and the wait estimates (`Snapshot.upcoming`)."""
    rows = (
        Booking.objects.filter(
            center_id=center_id,
            status=Booking.Status.CONFIRMED,
            slot__start__gte=now - UPCOMING_BEFORE,
            slot__start__lt=now + UPCOMING_AHEAD,
        )
        .order_by("slot__start", "pk")
        .values_list("service__code", "slot__start")
    )
    return tuple((code, start.timestamp()) for code, start in rows)
