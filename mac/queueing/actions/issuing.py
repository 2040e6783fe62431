"""Issuing: a new visit's first ticket (kiosk, orientation desk, check-in,
API), another ticket on the same visit (desk or counter), and the checks a
ticket passes before it is issued, which bookings ask too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core import rows
from mac.core.calendar import today_lima
from mac.core.documents import validate_document
from mac.core.language import with_spanish
from mac.core.links import absolute
from mac.queueing import cache
from mac.queueing.actions._shared import (
    _check_no_open_ticket,
    _check_offered,
    _lock_ticket_at_counter,
    _new_ticket,
    _now,
    _require,
    _user,
)
from mac.queueing.errors import Conflict, Invalid, LanguageUnavailable, ServiceUnstaffed
from mac.queueing.models import Language, PriorityReason, Source, Ticket, Visit
from mac.queueing.queries import books_appointments, serving_languages, staffed_services


def check_offered(center: Center, service: Service) -> None:
    """Refuse a ticket for a service the center does not offer: no active
    catalog offer there, or the service is not published or its entity not
    active (422 `service_not_offered`). Asked first of a center open now
    (before `check_staffed`); bookings ask it too, as check-in would. Read
    from the per-process cache of the center's offers: no statement once
    warm."""
    _check_offered(center, service)


def check_staffed(center: Center, service: Service, *, audience: str) -> None:
    """Refuse a ticket for a service the center offers but no active counter
    of it has among its skills: the routing policy calls a ticket only to a
    counter with its service, so it would wait until the citizen gave up.
    Offers and counters are set up by different people in the back office;
    this is where a mismatch shows. Asked before the language (a service
    nobody serves is the clearer message). Read from the per-process cache of
    the counters' skills (`queries.staffed_services`): no statement once warm.
    `audience`: who reads the refusal (`ServiceUnstaffed.text`)."""
    if service.pk in staffed_services(center.pk):
        return
    raise ServiceUnstaffed(center=center.name, service=service.plain_name, audience=audience)


def check_language(center: Center, service: Service, language: str, *, audience: str) -> None:
    """Refuse a ticket in a language in which no active counter of the center
    serves the service: the routing policy never calls it to a counter without
    that language, so it would wait until the citizen gave up. Whether an
    advisor is signed in now does not matter (they come and go during the
    day), only how the counters are set up. Spanish is always served: every
    counter speaks it (`policy.can_serve`). Read from the per-process cache
    of the counters' skills, which holds their languages too
    (`queries.serving_languages`): no statement once warm, as
    `check_staffed`. `audience`: who reads the refusal
    (`LanguageUnavailable.text`)."""
    if language == Language.SPANISH:
        return
    if language in serving_languages(center.pk, service.pk):
        return
    raise LanguageUnavailable(
        center=center.name, service=service.plain_name, language=language, audience=audience
    )


def _audience(source: str) -> str:
    """Who reads an issue's refusal: the citizen at a kiosk, an advisor at a
    counter, else the staff who issue tickets."""
    audiences: dict[str, str] = {Source.KIOSK: "citizen", Source.COUNTER: "counter"}
    return audiences.get(source, "desk")


def booking_address() -> str:
    """Where a citizen books an appointment on Portal MAC, as they would type
    it (the site's address without its scheme)."""
    return absolute(reverse("appointments:start"), scheme=False)


def check_walk_in(center: Center, service: Service, source: str) -> None:
    """A kiosk gives no walk-in ticket for a service that requires an
    appointment: the citizen registers their booking's arrival (the kiosk's
    "Tengo cita") or books one. Where the center gives no appointments for
    the service, nobody has a booking here nor can make one: they ask at the
    orientation desk or book at another center. The orientation desk and the
    API (staff) may still issue one; a check-in is no walk-in
    (`issue_ticket(checked_in=True)`)."""
    if source != Source.KIOSK or not service.requires_appointment:
        return
    if books_appointments(center, service):
        template = _(
            "«%(service)s» requiere cita previa: el kiosko no da tickets sin cita para"
            " este trámite. Si tienes cita, registra tu llegada con tu código de reserva"
            " en «Tengo cita». Si no la tienes, resérvala en %(address)s."
        )
    else:
        template = _(
            "«%(service)s» requiere cita previa: el kiosko no da tickets sin cita para"
            " este trámite, y este Centro MAC no da citas para él. Consulta en"
            " orientación, o reserva tu cita en un Centro MAC que lo ofrezca en %(address)s."
        )
    raise Conflict(
        with_spanish(template, {"service": service.plain_name}, address=booking_address()),
        code="appointment_required",
    )


def _check_open(center: Center, now: dt.datetime) -> None:
    schedule = cache.schedule(center.pk)
    if schedule.is_open_at(now):
        return
    off = schedule.day_off(today_lima(now)) if schedule.status == Center.Status.OPERATING else None
    if off is not None:
        # Say why: a holiday or a declared day closes it all day.
        raise Conflict(
            with_spanish(
                _("%(center)s no atiende hoy: %(day)s."), {"center": center.name, "day": off.name}
            ),
            code="center_closed",
        )
    raise Conflict(
        with_spanish(_("%(center)s está cerrado en este momento."), {"center": center.name}),
        code="center_closed",
    )


@transaction.atomic
def issue_ticket(
    center: Center,
    service: Service,
    *,
    by: Any = None,
    source: str = Source.KIOSK,
    document_type: str = "",
    document_number: str = "",
    priority_reason: str = "",
    language: str = Language.SPANISH,
    appointment_at: dt.datetime | None = None,
    checked_in: bool = False,
    now: dt.datetime | None = None,
) -> Ticket:
    """A new visit with its first ticket (kiosk, orientation desk, appointment
    check-in or API). `checked_in` when it is a booking's check-in: a late one
    is queued as a walk-in of where it happened, but it had its appointment."""
    now = _now(now)
    if source not in Source.values:
        raise Invalid(_("Origen del ticket desconocido."), code="source")
    if priority_reason not in PriorityReason.values:
        raise Invalid(_("Motivo de atención preferente desconocido."), code="priority_reason")
    if language not in Language.values:
        raise Invalid(_("Lengua no atendida."), code="language")
    if document_number or document_type:
        try:
            document = validate_document(document_type, document_number)
        except Exception as exc:  # django ValidationError: show its message
            messages = getattr(exc, "messages", [str(exc)])
            raise Invalid(" ".join(str(m) for m in messages), code="document") from None
        document_type, document_number = document.type, document.number
    _check_open(center, now)
    _check_offered(center, service)
    check_staffed(center, service, audience=_audience(source))
    if not checked_in:
        check_walk_in(center, service, source)
    check_language(center, service, language, audience=_audience(source))
    visit = rows.create(
        Visit(
            center=center,
            document_type=document_type,
            document_number=document_number,
            priority_reason=priority_reason,
            language=language,
            created_at=now,
            created_by=_user(by),
        )
    )
    return _new_ticket(visit, service, source=source, now=now, by=by, appointment_at=appointment_at)


@transaction.atomic
def add_service(
    visit: Visit,
    service: Service,
    *,
    by: Any = None,
    source: str = Source.DESK,
    now: dt.datetime | None = None,
) -> Ticket:
    """Another ticket on the same visit (a second procedure), from `source`:
    the orientation desk, or the API caller's own origin."""
    now = _now(now)
    if source not in Source.values:
        raise Invalid(_("Origen del ticket desconocido."), code="source")
    if today_lima(visit.created_at) != today_lima(now):
        raise Conflict(_("La visita es de otro día: emita un ticket nuevo."), code="visit_closed")
    _check_no_open_ticket(visit.pk, service)
    _check_open(visit.center, now)
    _check_offered(visit.center, service)
    check_staffed(visit.center, service, audience=_audience(source))
    check_language(visit.center, service, visit.language, audience=_audience(source))
    return _new_ticket(visit, service, source=source, now=now, by=by)


@transaction.atomic
def add_service_at_counter(
    ticket: Ticket, service: Service, *, by: Any, now: dt.datetime | None = None
) -> Ticket:
    """Another procedure for the citizen at the counter, added by the advisor
    calling or serving them (`add_service` from the counter): a new ticket of
    the same visit (its priority, language and document) waits for `service`,
    and the attention under way goes on. Locks the counter, then the ticket
    (then the visit), as every action at a counter does."""
    now = _now(now)
    ticket = _lock_ticket_at_counter(ticket, by)[1]
    _require(ticket, Ticket.State.CALLED, Ticket.State.SERVING, action=_("añadir un trámite"))
    visit = Visit.objects.select_related("center").get(pk=ticket.visit_id)
    return add_service(visit, service, by=by, source=Source.COUNTER, now=now)
