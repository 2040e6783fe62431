"""Reads behind the public appointment pages and the links to them from the
portal: which services and centers give appointments, the languages of
attention a booking may ask for, and a hold by its secret token; and the
confirmed bookings that check-in would refuse (`affected_bookings`). Writes
stay in the actions (actions/).

A center gives appointments for a service when it has an active agenda for
it, it operates, it offers the service (an active catalog offer), the
service is published and its entity active, and an active counter of the
center has the service among its skills: a booking nobody could serve would
only be refused at check-in, as the queue refuses its ticket
(`service_not_offered`, `service_unstaffed`). The actions refuse it too,
reading the queue's cached offers and counters' skills
(`queueing.actions.check_offered`, `queueing.queries.staffed_services`); the
pages ask the database, so after a change of offers or counters another
worker may disagree until its cache next checks the configuration
generation (about a second, `queueing.cache.CHECK_EVERY`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mac.appointments.models import Agenda, Booking, Unservable
from mac.catalog.models import Entity, Offer, Service
from mac.catalog.search import search_services
from mac.centers.models import Center, OpeningException
from mac.core.calendar import to_lima, today_lima
from mac.core.models import NonWorkingDay
from mac.core.params import parse_id
from mac.queueing.errors import in_language
from mac.queueing.models import Counter, Language
from mac.queueing.queries import serving_languages


def _active_agendas() -> QuerySet[Agenda]:
    offered = Offer.objects.filter(
        center_id=OuterRef("center_id"), service_id=OuterRef("service_id"), active=True
    )
    staffed = Counter.services.through.objects.filter(
        counter__center_id=OuterRef("center_id"),
        counter__active=True,
        service_id=OuterRef("service_id"),
    )
    return Agenda.objects.filter(
        Exists(offered),
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


# -- Bookings that check-in would refuse ---------------------------------------


@dataclass(frozen=True)
class Affected:
    """A confirmed booking still to come that check-in would refuse:
    `reason`, the code of that refusal (`Unservable`), and `detail`, why, for
    the staff who read it (the back office, the API)."""

    booking: Booking
    reason: str
    detail: str


@dataclass(frozen=True)
class _Setup:
    """What check-in asks of the centers of some bookings, read now."""

    centers: dict[int, Center]  # with their hours and exceptions from today
    declared: dict[dt.date, str]  # declared non-working days from today
    offered: set[tuple[int, int]]  # (center, service) offered, published, entity active
    spoken: dict[tuple[int, int], set[str]]  # (center, service) -> languages of active counters


def affected_bookings(
    centers: Iterable[int] | None = None,
    *,
    bookings: Iterable[int] | None = None,
    now: dt.datetime | None = None,
) -> list[Affected]:
    """The confirmed bookings whose slot starts after `now` (of `centers`, or
    of every center; only `bookings` when given) that check-in would refuse
    as their center is set up now, ordered by start: their center is closed
    at their slot's start (not operating, closed that day by the centers'
    rule, `Center.hours_on`, or the slot outside that day's hours: "center_closed"),
    or does not offer the service ("service_not_offered"), or no active
    counter of it has the service ("service_unstaffed") or serves it in the
    booking's language of attention ("language_unavailable"; Spanish always).
    The first of these is the reason, as check-in (the queue's
    `issue_ticket`) asks them in that order.

    It reads the database, not the queue's per-process cache of the
    counters' skills and the declared days (`mac/queueing/cache.py`): the
    back office asks it right after a change, and another worker's cache
    may lag behind it for up to `cache.TTL`. Eight statements at most, whatever
    the number of bookings."""
    now = now or timezone.now()
    rows = Booking.objects.filter(status=Booking.Status.CONFIRMED, slot__start__gt=now)
    if centers is not None:
        rows = rows.filter(center_id__in=list(centers))
    if bookings is not None:
        rows = rows.filter(pk__in=list(bookings))
    found = list(
        rows.values_list("pk", "center_id", "service_id", "attention_language", "slot__start")
    )
    if not found:
        return []
    setup = _setup({center for _pk, center, *_rest in found}, today_lima(now))
    reasons: dict[int, tuple[str, str]] = {}
    for pk, center_id, service_id, language, start in found:
        why = _why(setup, center_id, service_id, language, start)
        if why is not None:
            reasons[pk] = why
    affected = (
        Booking.objects.filter(pk__in=reasons)
        .select_related("slot", "center", "service__entity")
        .order_by("slot__start", "pk")
    )
    return [Affected(booking, *reasons[booking.pk]) for booking in affected]


def unservable(booking: Booking, *, now: dt.datetime | None = None) -> Affected | None:
    """`booking` as `affected_bookings` lists it, or None when it is not
    (not confirmed, past, or check-in would accept it)."""
    found = affected_bookings([booking.center_id], bookings=[booking.pk], now=now)
    return found[0] if found else None


def _setup(center_ids: set[int], today: dt.date) -> _Setup:
    centers = Center.objects.filter(pk__in=center_ids).prefetch_related(
        "hours", Prefetch("exceptions", OpeningException.objects.filter(date__gte=today))
    )
    offered = Offer.objects.filter(
        center_id__in=center_ids,
        active=True,
        service__status=Service.Status.PUBLISHED,
        service__entity__status=Entity.Status.ACTIVE,
    ).values_list("center_id", "service_id")
    skills = Counter.services.through.objects.filter(
        counter__center_id__in=center_ids, counter__active=True
    ).values_list("counter__center_id", "service_id", "counter__languages")
    spoken: dict[tuple[int, int], set[str]] = defaultdict(set)
    for center_id, service_id, languages in skills:
        spoken[center_id, service_id].update(languages or (), (Language.SPANISH,))
    return _Setup(
        centers={center.pk: center for center in centers},
        declared=dict(NonWorkingDay.objects.filter(date__gte=today).values_list("date", "name")),
        offered=set(offered),
        spoken=dict(spoken),
    )


def _why(
    setup: _Setup, center_id: int, service_id: int, language: str, start: dt.datetime
) -> tuple[str, str] | None:
    """(reason, detail) of a booking that check-in would refuse, else None."""
    closed = _closed(setup.centers[center_id], to_lima(start), setup.declared)
    if closed:
        return Unservable.CENTER_CLOSED, closed
    if (center_id, service_id) not in setup.offered:
        return Unservable.SERVICE_NOT_OFFERED, _(
            "El centro no ofrece el trámite: su oferta está inactiva, o el trámite o la entidad"
            " ya no están vigentes."
        )
    spoken = setup.spoken.get((center_id, service_id))
    if not spoken:
        return Unservable.SERVICE_UNSTAFFED, _(
            "Ningún módulo habilitado del centro tiene el trámite entre sus servicios."
        )
    if language not in spoken:
        return Unservable.LANGUAGE_UNAVAILABLE, _(
            "Ningún módulo habilitado del centro atiende el trámite %(language)s."
        ) % {"language": in_language(language)}
    return None


def _closed(center: Center, start: dt.datetime, declared: dict[dt.date, str]) -> str:
    """Why the center is closed at `start` (Lima time), or "": the queue
    issues no ticket then (`Center.is_open_at`)."""
    if center.status != Center.Status.OPERATING:
        return _("El centro no está en funcionamiento.")
    day = start.date()
    periods = center.hours_on(day, declared)
    if any(opens <= start.time() < closes for opens, closes in periods):
        return ""
    if periods:
        hours = ", ".join(f"{opens:%H:%M}-{closes:%H:%M}" for opens, closes in periods)
        return _("La cita queda fuera del horario de atención de ese día (%(hours)s).") % {
            "hours": hours
        }
    exception = center.exception_on(day)
    if exception is not None:
        return _("El centro cierra ese día: %(reason)s.") % {"reason": exception.reason}
    off = center.day_off(day, declared)
    if off is not None and off.kind == "holiday":
        return _("Feriado: %(name)s.") % {"name": off.name}
    if off is not None:
        return _("Día no laborable: %(name)s.") % {"name": off.name}
    return _("El centro no atiende ese día de la semana.")
