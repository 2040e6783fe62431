"""Reading the calendar: a center's agenda for a service, the checks that
it gives appointments (the center operates and offers the service, a counter
serves it, in the language of attention), the day's slots (`open_day`,
stored on first sight) and whether a slot chosen by its id can be booked
now."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mac.appointments.actions._shared import _day_label, _now, _places
from mac.appointments.errors import Conflict, Invalid, NotFound, ServiceNotOffered
from mac.appointments.models import Agenda, Booking, Slot
from mac.appointments.slots import DayNotBookable, Rule, all_day_slots, check_day
from mac.catalog.models import Service
from mac.centers.models import Center, day_off
from mac.core.calendar import to_lima
from mac.core.dates import whole_hours
from mac.queueing import cache as queue_cache
from mac.queueing.actions import check_language, check_offered, check_staffed
from mac.queueing.errors import Invalid as QueueInvalid
from mac.queueing.errors import LanguageUnavailable, ServiceUnstaffed
from mac.queueing.models import Language


def agenda_for(center: Center, service: Service, *, audience: str = "booking") -> Agenda:
    agenda = (
        Agenda.objects.filter(center=center, service=service, active=True)
        .select_related("center", "service")
        .first()
    )
    return _giving_appointments(agenda, center, service, audience=audience)


def _giving_appointments(
    agenda: Agenda | None, center: Center, service: Service, *, audience: str = "booking"
) -> Agenda:
    """The center's active agenda for the service, or NotFound when it has
    none or the center is not operating; Conflict when the center does not
    offer the service (`_check_offered`) or no counter serves it there
    (`_check_staffed`), in the order check-in asks, worded for `audience`."""
    if agenda is None or center.status != Center.Status.OPERATING:
        raise NotFound(
            _("%(center)s no da citas para «%(service)s».")
            % {"center": center.name, "service": service.plain_name},
            code="no_agenda",
        )
    _check_offered(center, service, audience=audience)
    _check_staffed(center, service, audience=audience)
    return agenda


def _check_offered(center: Center, service: Service, *, audience: str = "booking") -> None:
    """Refuse to list or book slots of a service the center does not offer
    (no active catalog offer there, or the service not published or its
    entity not active, though its agenda is still active): the check-in
    would be refused, as the queue refuses its ticket
    (`queueing.actions.check_offered`, 409 `service_not_offered` at
    check-in). Read from the queue's per-process cache of the center's
    offers: no statement on the hot path once warm. The pages do not offer
    such a (center, service) at all (`queries.bookable_services`).
    `audience`: "holder" words it for a citizen who already has a booking."""
    if not _offered(center, service):
        raise ServiceNotOffered(center=center.name, service=service.plain_name, audience=audience)


def _offered(center: Center, service: Service) -> bool:
    try:
        check_offered(center, service)
    except QueueInvalid:  # service_not_offered, its only refusal
        return False
    return True


def _check_staffed(center: Center, service: Service, *, audience: str = "booking") -> None:
    """Refuse to list or book slots of a service that no active counter of
    the center has among its skills: the check-in would be refused, as the
    queue refuses its ticket (`queueing.actions.check_staffed`, 409
    `service_unstaffed`). Read from the per-process cache of the counters'
    skills: no statement on the hot path once warm. The pages do not offer
    such a (center, service) at all (`queries.bookable_services`).
    `audience`: "holder" words it for a citizen who already has a booking."""
    try:
        check_staffed(center, service, audience=audience)
    except ServiceUnstaffed as refused:
        raise Conflict(refused.message, code=refused.code) from None


def _attention_language(
    center: Center, service: Service, language: str, *, audience: str = "booking"
) -> str:
    """The language of attention, refused unless an active counter of the
    center serves the service in it (Spanish always), read from the cached
    skills as `_check_staffed` (`queueing.queries.serving_languages`): the
    check-in would be refused, as the queue refuses its ticket (409
    `language_unavailable`)."""
    if language not in Language.values:
        raise Invalid(_("Esa lengua de atención no existe."), code="attention_language")
    try:
        check_language(center, service, language, audience=audience)
    except LanguageUnavailable as refused:
        raise Conflict(refused.message, code=refused.code) from None
    return language


def _rule(agenda: Agenda) -> Rule:
    return Rule(
        slot_minutes=agenda.slot_minutes,
        capacity=agenda.capacity,
        lead_minutes=agenda.lead_minutes,
        horizon_days=agenda.horizon_days,
    )


def _closed_reason(center: Center, day: dt.date) -> str | None:
    """Why the center (its hours and exceptions loaded) gives no
    appointments that day, or None. Whether it opens is the centers' rule
    (`Center.hours_on`: its exception for the day, else holidays and declared
    non-working days are closed, else the weekly hours), the one the queue
    follows to issue tickets."""
    if center.hours_on(day):
        return None
    off = day_off(day)
    if off is not None and off.kind == "holiday":
        return _("El %(day)s es feriado (%(name)s): el centro no atiende.") % {
            "day": _day_label(day),
            "name": off.name,
        }
    if off is not None:
        return _("El %(day)s es día no laborable (%(name)s): el centro no atiende.") % {
            "day": _day_label(day),
            "name": off.name,
        }
    return _("El %(day)s el centro no atiende.") % {"day": _day_label(day)}


def _check_day(agenda: Agenda, day: dt.date, now: dt.datetime) -> list[tuple[dt.time, dt.time]]:
    try:
        check_day(day, _rule(agenda), now)
    except DayNotBookable as refused:
        if refused.reason == "past":
            raise Invalid(_("La fecha ya pasó."), code="past_date") from None
        raise Invalid(
            _("Solo se reservan citas hasta %(days)s días adelante.")
            % {"days": agenda.horizon_days},
            code="beyond_horizon",
        ) from None
    center = queue_cache.schedule(agenda.center_id)
    reason = _closed_reason(center, day)
    if reason:
        raise Invalid(reason, code="closed_day")
    return center.hours_on(day)


def _check_bookable(agenda: Agenda, start: dt.datetime, now: dt.datetime) -> None:
    """Refuse a slot chosen by its id (its start) that open_day would not list
    now: started, its day past, beyond the horizon or closed (a non-working
    day declared after the slots were stored), no longer among the day's slots
    (hours or slot length changed), or within the lead time. It reads only
    cached data (the center's schedule, the declared non-working days), so it
    costs nothing while the slot's lock is held."""
    if start < now:
        raise Invalid(_("Ese horario ya pasó."), code="past_slot")
    day = to_lima(start).date()
    periods = _check_day(agenda, day, now)
    if start not in {s.start for s in all_day_slots(day, periods, _rule(agenda))}:
        raise Invalid(_("Ese horario ya no se ofrece. Elige otro."), code="slot_not_offered")
    if start < now + dt.timedelta(minutes=agenda.lead_minutes):
        raise Invalid(_lead_time(agenda.lead_minutes), code="lead_time")


def _lead_time(minutes: int) -> str:
    hours = whole_hours(minutes)
    if hours:
        return ngettext(
            "Las citas se reservan con al menos %(hours)s hora de anticipación.",
            "Las citas se reservan con al menos %(hours)s horas de anticipación.",
            hours,
        ) % {"hours": hours}
    return _("Las citas se reservan con al menos %(minutes)s minutos de anticipación.") % {
        "minutes": minutes
    }


def open_day(
    center: Center, service: Service, day: dt.date, *, now: dt.datetime | None = None
) -> list[Slot]:
    """The day's slots that can still be booked, stored on first sight.

    `available` on each returned slot discounts holds that have lapsed but
    were not yet given back (they are given back when someone next locks the
    slot, or by their expiry task)."""
    now = _now(now)
    agenda = agenda_for(center, service)
    periods = _check_day(agenda, day, now)
    specs = all_day_slots(day, periods, _rule(agenda))
    Slot.objects.bulk_create(
        [
            Slot(center=center, service=service, start=s.start, end=s.end, capacity=s.capacity)
            for s in specs
        ],
        ignore_conflicts=True,
    )
    _fit_capacity(center, service, [s.start for s in specs], agenda.capacity)
    earliest = now + dt.timedelta(minutes=agenda.lead_minutes)
    slots: list[Slot] = list(
        Slot.objects.filter(
            center=center, service=service, start__in=[s.start for s in specs], start__gte=earliest
        )
        .annotate(
            lapsed=Count(
                "bookings",
                filter=Q(bookings__status=Booking.Status.HELD, bookings__hold_until__lte=now),
            )
        )
        .order_by("start")
    )
    for slot in slots:
        slot.taken -= slot.lapsed  # type: ignore[attr-defined]
        # What is left to book (see _places), never less than what is taken.
        slot.capacity = max(_places(slot, agenda.capacity), slot.taken)
    return slots


def _fit_capacity(
    center: Center, service: Service, starts: list[dt.datetime], capacity: int
) -> None:
    """The agenda's capacity applies to the day's stored slots too: raised at
    once; lowered down to the places a slot holds, no further (the check
    constraint), and _places gives none beyond the agenda's capacity."""
    fitted = Greatest(F("taken"), Value(capacity))
    stale = Slot.objects.filter(center=center, service=service, start__in=starts).exclude(
        capacity=fitted
    )
    if not stale.exists():
        return
    with transaction.atomic():
        ids = list(
            stale.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True)
        )
        Slot.objects.filter(pk__in=ids).update(capacity=fitted)
