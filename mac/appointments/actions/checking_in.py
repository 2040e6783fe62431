"""Check-in: the citizen arrived, and the booking becomes a ticket in the
queue (`check_in`); from when they may (`check_in_from`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from mac.appointments.actions._shared import _day_label, _now, _publish
from mac.appointments.actions.managing import get_booking
from mac.appointments.conf import conf
from mac.appointments.errors import Conflict
from mac.appointments.models import Booking
from mac.centers.models import Center
from mac.core import audit
from mac.core.calendar import LIMA, to_lima
from mac.core.language import with_spanish


def check_in_from(booking: Booking) -> dt.datetime:
    """When the citizen may check in: CHECKIN_EARLY_MINUTES before the slot,
    but not before the center opens the period the slot is in (the queue
    issues no ticket while the center is closed)."""
    start = booking.slot.start
    early = start - dt.timedelta(minutes=conf("CHECKIN_EARLY_MINUTES"))
    center = Center.objects.prefetch_related("hours", "exceptions").get(pk=booking.center_id)
    local = to_lima(start)
    for opens, closes in center.hours_on(local.date()):
        if opens <= local.time() < closes:
            return max(early, dt.datetime.combine(local.date(), opens, tzinfo=LIMA))
    return early


@transaction.atomic
def check_in(
    code: str,
    *,
    document_type: str,
    document_number: str,
    source: str = "kiosk",
    center: Center | None = None,
    language: str = "",
    by: Any = None,
    now: dt.datetime | None = None,
) -> Booking:
    """The citizen arrived: the booking becomes a ticket in the queue, with
    appointment priority inside the window, as a walk-in when too late.

    `source` is where it happened (kiosk, orientation, qr, api) and is kept
    in the audit; `center`, when given, is where the citizen is, and a
    booking of another center is refused. The visit speaks the booking's
    language of attention (not its notices'), or `language` when one was
    chosen at check-in (the kiosk's language switch, the desk's form)."""
    from mac.queueing import actions as queue
    from mac.queueing.errors import LanguageUnavailable, QueueError, ServiceUnstaffed
    from mac.queueing.models import Source
    from mac.queueing.queries import forget_upcoming

    now = _now(now)
    booking = get_booking(code, document_type, document_number, lock=True)
    if center is not None and booking.center_id != center.pk:
        raise Conflict(
            with_spanish(
                _("Tu cita es en el %(center)s, no en este centro."),
                {"center": booking.center.name},
            ),
            code="other_center",
        )
    if booking.status == Booking.Status.CANCELLED:
        raise Conflict(_("Esta cita fue anulada; saca un ticket sin cita."), code="cancelled")
    if booking.status == Booking.Status.CHECKED_IN:
        raise Conflict(_("Ya se registró tu llegada para esta cita."), code="checked_in")
    if booking.status == Booking.Status.NO_SHOW:
        raise Conflict(
            _("La cita venció sin que se registrara tu llegada; saca un ticket sin cita."),
            code="no_show",
        )
    if booking.status != Booking.Status.CONFIRMED:
        raise Conflict(_("Esta cita no está confirmada."), code="not_confirmed")
    start = booking.slot.start
    if to_lima(start).date() != to_lima(now).date():
        raise Conflict(
            _("Tu cita es el %(day)s a las %(time)s.")
            % {"day": _day_label(to_lima(start).date()), "time": f"{to_lima(start):%H:%M}"},
            code="wrong_day",
        )
    early = start - dt.timedelta(minutes=conf("CHECKIN_EARLY_MINUTES"))
    opens = check_in_from(booking)
    if now < early:
        raise Conflict(
            _("Es temprano: puedes registrar tu llegada desde las %(time)s.")
            % {"time": f"{to_lima(opens):%H:%M}"},
            code="too_early",
        )
    if now < opens:
        # Inside the window, but the center has not opened yet.
        raise Conflict(
            _("El centro abre a las %(time)s: puedes registrar tu llegada desde esa hora.")
            % {"time": f"{to_lima(opens):%H:%M}"},
            code="before_opening",
        )
    late = now > start + dt.timedelta(minutes=conf("CHECKIN_LATE_MINUTES"))
    # Too late, the ticket is a walk-in's from where the citizen checked in.
    walk_in = {"orientation": Source.DESK, "api": Source.API}.get(source, Source.KIOSK)
    try:
        ticket = queue.issue_ticket(
            booking.center,
            booking.service,
            by=by,
            source=walk_in if late else Source.APPOINTMENT,
            document_type=booking.document_type,
            document_number=booking.document_number,
            appointment_at=None if late else start,
            language=language or booking.attention_language,
            checked_in=True,
            now=now,
        )
    except (ServiceUnstaffed, LanguageUnavailable) as refused:
        # Worded for where the citizen is: at a kiosk (or its QR reader), for them.
        audience = "citizen" if source in ("kiosk", "qr") else "desk"
        raise Conflict(refused.text(audience), code=refused.code) from None
    except QueueError as refused:
        raise Conflict(refused.message, code=refused.code) from None
    booking.status = Booking.Status.CHECKED_IN
    booking.checked_in_at = now
    booking.late = late
    booking.ticket = ticket
    booking.save(update_fields=["status", "checked_in_at", "late", "ticket"])
    audit.record(
        "appointments.check_in", booking, by=by, source=source, late=late, ticket=ticket.code
    )
    # The queue's snapshot caches who is still expected: not this citizen now.
    center_id = booking.center_id
    transaction.on_commit(lambda: forget_upcoming(center_id))
    _publish(booking, "checked_in")
    return booking
