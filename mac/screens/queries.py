"""Reads of the center screens: the state each screen renders in full before
it applies live events. No writes here (those go through queueing.actions).

Every state that a screen later updates from events is read after the id of
the center's latest event: the screen then replays from that id, and since
applying an event is idempotent (sets of ids, move-to-top), an event already
reflected in the state does no harm, and none is missed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from mac.appointments.models import Booking
from mac.catalog.models import Entity, Offer, Requirement, Service
from mac.centers.models import Center
from mac.core.calendar import today_lima
from mac.core.models import AuditLog, Event
from mac.queueing.errors import in_language
from mac.queueing.models import (
    CenterQueue,
    Counter,
    Language,
    Source,
    Ticket,
    TicketEvent,
    Visit,
)
from mac.queueing.queries import estimated_wait, serving_languages, staffed_services

BOARD_CALLS = 6  # calls the board lists; the newest is shown big
_CALL_SCAN = 200  # recent call rows read to find the last BOARD_CALLS tickets


def center_topic(center: Center) -> str:
    return f"queue.center.{center.pk}"


def last_event_id(center: Center) -> int:
    """The id of the center's newest event (0: none yet)."""
    return (
        Event.objects.filter(topic=center_topic(center))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def counter_label(number: int | None) -> str:
    """The same words as Counter.label, from a bare number."""
    if number is None:
        return ""
    return _("Módulo %(n)s") % {"n": number}


# -- Display board -------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    ticket: int
    code: str
    counter: int | None
    counter_label: str

    def as_json(self) -> dict[str, Any]:
        return {
            "ticket": self.ticket,
            "code": self.code,
            "counter": self.counter,
            "counter_label": self.counter_label,
        }


@dataclass(frozen=True)
class EntityWaiting:
    id: int
    acronym: str
    name: str
    waiting: int


@dataclass
class BoardState:
    calls: list[Call]
    entities: list[EntityWaiting]
    waiting: dict[int, int]  # waiting ticket id -> entity id
    services: dict[int, int]  # offered service id -> entity id
    notices: list[str]
    last_event: int
    day: dt.date

    def as_json(self) -> dict[str, Any]:
        return {
            "calls": [c.as_json() for c in self.calls],
            "waiting": {str(k): v for k, v in self.waiting.items()},
            "services": {str(k): v for k, v in self.services.items()},
            "entities": [e.id for e in self.entities],
            "last_event": self.last_event,
            "day": self.day.isoformat(),
            "limit": BOARD_CALLS,
        }


def latest_calls(center: Center, day: dt.date, limit: int = BOARD_CALLS) -> list[Call]:
    """The last `limit` tickets called (or called again) today, newest first;
    a ticket called again moves to the top, as on the board."""
    rows = (
        TicketEvent.objects.filter(
            ticket__center=center, ticket__day=day, state=Ticket.State.CALLED
        )
        .order_by("-id")
        .values_list("ticket_id", "ticket__code", "counter__number")[:_CALL_SCAN]
    )
    calls: list[Call] = []
    seen: set[int] = set()
    for ticket_id, code, number in rows:
        if ticket_id in seen:
            continue
        seen.add(ticket_id)
        calls.append(Call(ticket_id, code, number, counter_label(number)))
        if len(calls) == limit:
            break
    return calls


def offered_services(center: Center) -> dict[int, int]:
    """Service id -> entity id, for the services offered at the center."""
    rows = Offer.objects.filter(
        center=center, active=True, service__status=Service.Status.PUBLISHED
    ).values_list("service_id", "service__entity_id")
    return dict(rows)


def notices(center: Center) -> list[str]:
    """The board's notices: the center's queue settings (params["notices"],
    a text or a list of texts) or else the BOARD_NOTICES setting."""
    params = (
        CenterQueue.objects.filter(center=center).values_list("params", flat=True).first() or {}
    )
    value: Any = params.get("notices") if isinstance(params, dict) else None
    if not value:
        value = getattr(settings, "BOARD_NOTICES", "")
    if isinstance(value, str):
        value = value.splitlines()
    elif not isinstance(value, list):  # the admin takes any JSON value
        value = [value]
    return [str(v).strip() for v in value if str(v).strip()]


def board_state(center: Center, now: dt.datetime) -> BoardState:
    last = last_event_id(center)  # first: see the module's docstring
    day = today_lima(now)
    services = offered_services(center)
    waiting = dict(
        Ticket.objects.filter(center=center, state=Ticket.State.WAITING).values_list(
            "id", "entity_id"
        )
    )
    entity_ids = set(services.values()) | set(waiting.values())
    counts: dict[int, int] = {}
    for entity_id in waiting.values():
        counts[entity_id] = counts.get(entity_id, 0) + 1
    entities = [
        EntityWaiting(e.pk, e.acronym, e.name, counts.get(e.pk, 0))
        for e in Entity.objects.filter(pk__in=entity_ids).order_by("acronym")
    ]
    return BoardState(
        calls=latest_calls(center, day),
        entities=entities,
        waiting=waiting,
        services=services,
        notices=notices(center),
        last_event=last,
        day=day,
    )


# -- Orientation desk ----------------------------------------------------------


def desk_tickets(center: Center, day: dt.date) -> QuerySet[Ticket]:
    """The tickets the orientation desk issued on `day`: its visits (DESK;
    APPOINTMENT without a booking, from the desk's appointment time) and the
    bookings it checked in. Kiosk and API check-ins make APPOINTMENT tickets
    too; where a check-in happened is kept in its audit row."""
    booked = dict(
        Booking.objects.filter(center=center, ticket__day=day).values_list("pk", "ticket_id")
    )
    at_desk = AuditLog.objects.filter(
        action="appointments.check_in",
        object_type=Booking._meta.label_lower,
        object_id__in=[str(pk) for pk in booked],
        data__source="orientation",
    ).values_list("object_id", flat=True)
    checked_in = [booked[int(pk)] for pk in at_desk]
    return Ticket.objects.filter(center=center, day=day).filter(
        Q(source=Source.DESK)
        | Q(source=Source.APPOINTMENT, booking__isnull=True)
        | Q(pk__in=checked_in)
    )


# -- Citizen status page ------------------------------------------------------


TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def visit_by_token(token: str) -> Visit | None:
    """The visit of a status token; None for anything not shaped like one
    (PostgreSQL refuses NUL bytes in a query, among others)."""
    if not TOKEN.fullmatch(token or ""):
        return None
    return Visit.objects.select_related("center").filter(token=token).first()


def is_current(visit: Visit, now: dt.datetime) -> bool:
    """A visit is valid on the Lima day it was made, not after."""
    return today_lima(visit.created_at) == today_lima(now)


@dataclass(frozen=True)
class TicketStatus:
    id: int
    code: str
    service: int
    service_name: str
    entity: str
    state: str
    state_label: str
    position: int | None  # 1: next in line for its service
    wait_minutes: int | None
    counter_label: str
    survey_url: str = ""  # the attention's survey, while it can be answered
    recalls: int = 0  # times the advisor called it again


@dataclass
class VisitStatus:
    tickets: list[TicketStatus]
    last_event: int
    services: list[int] = field(default_factory=list)

    @property
    def ticket_ids(self) -> list[int]:
        return [t.id for t in self.tickets]


def position_in_line(ticket: Ticket) -> int:
    """1 + the waiting tickets of the same service ahead of this one: priority
    attention first, then by when their wait started. The center's policy may
    interleave services; this is the citizen's plain-language view."""
    same = Ticket.objects.filter(
        center_id=ticket.center_id, service_id=ticket.service_id, state=Ticket.State.WAITING
    ).exclude(pk=ticket.pk)
    earlier = Q(wait_from__lt=ticket.wait_from) | Q(wait_from=ticket.wait_from, id__lt=ticket.pk)
    if ticket.priority:
        ahead = same.filter(Q(priority=True) & earlier)
    else:
        ahead = same.filter(Q(priority=True) | earlier)
    return ahead.count() + 1


def visit_status(visit: Visit, now: dt.datetime) -> VisitStatus:
    last = last_event_id(visit.center)
    tickets = (
        Ticket.objects.filter(visit=visit)
        .select_related("service", "entity", "counter", "center")
        .order_by("issued_at", "id")
    )
    rows = []
    for ticket in tickets:
        waiting = ticket.state == Ticket.State.WAITING
        seconds = estimated_wait(ticket, now) if waiting else None
        rows.append(
            TicketStatus(
                id=ticket.pk,
                code=ticket.code,
                service=ticket.service_id,
                service_name=ticket.service.plain_name,
                entity=ticket.entity.acronym,
                state=ticket.state,
                state_label=ticket.get_state_display(),
                position=position_in_line(ticket) if waiting else None,
                wait_minutes=None if seconds is None else max(1, round(seconds / 60)),
                counter_label=counter_label(ticket.counter.number if ticket.counter else None),
                recalls=ticket.recalls,
            )
        )
    done = [t.id for t in rows if t.state == Ticket.State.DONE]
    if done:
        from mac.surveys.queries import open_survey_paths

        surveys = open_survey_paths(done, now)
        rows = [replace(row, survey_url=surveys.get(row.id, "")) for row in rows]
    return VisitStatus(rows, last, sorted({t.service for t in rows}))


# -- Advisor desk -------------------------------------------------------------


def advisor_counter(center: Center, user: Any) -> Counter | None:
    """The counter this advisor is signed in to at the center, if any."""
    return (
        Counter.objects.select_related("entity", "center")
        .filter(center=center, advisor=user)
        .first()
    )


def counters_for_advisor(center: Center, user: Any) -> list[Counter]:
    """The active counters of the advisor's entity at the center."""
    return list(
        Counter.objects.select_related("advisor")
        .filter(center=center, entity_id=user.entity_id, active=True)
        .order_by("number")
    )


def current_ticket(counter: Counter) -> Ticket | None:
    if not counter.current_ticket_id:
        return None
    return (
        Ticket.objects.select_related("service", "entity", "visit")
        .filter(pk=counter.current_ticket_id)
        .first()
    )


def requirements(service: Service) -> list[Requirement]:
    return list(service.requirements.order_by("order"))


@dataclass(frozen=True)
class ServiceWaiting:
    id: int
    code: str
    name: str
    waiting: int


def waiting_by_service(counter: Counter) -> list[ServiceWaiting]:
    """How many wait now for each of the counter's services."""
    services = counter.services.annotate(
        waiting=Count(
            "tickets",
            filter=Q(tickets__center_id=counter.center_id, tickets__state=Ticket.State.WAITING),
        )
    ).order_by("plain_name")
    return [ServiceWaiting(s.pk, s.code, s.plain_name, s.waiting) for s in services]


@dataclass(frozen=True)
class NobodyToCall:
    """Why a counter's call found nobody while people wait for its services:
    the free counters that take them for now, and the languages they need
    that the counter does not have."""

    free_counters: list[str]
    languages: list[str]


def nobody_to_call(counter: Counter) -> NobodyToCall | None:
    """None when nobody waits for the counter's services at all."""
    waiting = list(
        Ticket.objects.filter(
            center_id=counter.center_id,
            state=Ticket.State.WAITING,
            service__in=counter.services.all(),
        ).values_list("service_id", "language")
    )
    if not waiting:
        return None
    spoken = {"es", *(counter.languages or [])}
    servable = {service for service, language in waiting if language in spoken}
    others = [
        c.label
        for c in Counter.objects.filter(
            center_id=counter.center_id,
            status=Counter.Status.OPEN,
            current_ticket__isnull=True,
            active=True,
            services__in=servable,
        )
        .exclude(pk=counter.pk)
        .distinct()
        .order_by("number")
    ]
    needed = sorted({language for _service, language in waiting if language not in spoken})
    return NobodyToCall(others if servable else [], [str(Language(v).label) for v in needed])


def transfer_targets(center: Center, exclude: int | None) -> list[tuple[str, list[Service]]]:
    """Services offered at the center, grouped by entity acronym."""
    services = (
        Service.objects.filter(
            offers__center=center, offers__active=True, status=Service.Status.PUBLISHED
        )
        .exclude(pk=exclude or 0)
        .select_related("entity")
        .order_by("entity__acronym", "plain_name")
    )
    groups: dict[str, list[Service]] = {}
    for service in services:
        groups.setdefault(service.entity.acronym, []).append(service)
    return list(groups.items())


def service_choices(center: Center, exclude: int | None, language: str) -> dict[str, Any]:
    """The services a ticket in `language` may go to (the advisor's "Derivar"
    and "Añadir trámite", the orientation desk's "Cambiar de trámite"): all the
    center offers but `exclude`, by entity (`transfer_targets`); those no
    active counter serves, or serves in that language, stay listed but cannot
    be chosen, with the reason (the actions would refuse them:
    `check_staffed`, `check_language`). Read from the cached skills. The keys
    are the context of `screens/_service_options.html`."""
    targets = transfer_targets(center, exclude)
    staffed = staffed_services(center.pk)
    offered = [s for _, services in targets for s in services]
    unspoken: set[int] = set()
    if language != Language.SPANISH:
        unspoken = {
            s.pk
            for s in offered
            if s.pk in staffed and language not in serving_languages(center.pk, s.pk)
        }
    return {
        "targets": targets,
        "unstaffed": {s.pk for s in offered if s.pk not in staffed},
        "unspoken": unspoken,
        "unspoken_label": _("nadie lo atiende %(language)s") % {"language": in_language(language)},
    }
