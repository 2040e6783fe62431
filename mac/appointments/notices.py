"""What an appointment tells the citizen and when: confirmation, changes and
reminders through the notification service (mac/notify), each with its .ics;
and the background work each booking schedules (expiry of a hold, reminders,
the no-show mark)."""

from __future__ import annotations

import datetime as dt
import functools
from email.utils import parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mac.appointments.conf import conf
from mac.core.calendar import to_lima
from mac.core.dates import spelled
from mac.core.links import absolute

if TYPE_CHECKING:
    from mac.appointments.models import Booking


def when(moment: dt.datetime, language: str = "es") -> str:
    """ "lunes 7 de diciembre de 2026, 19:30" in Lima time (in Quechua,
    "Killachaw 7 Qhapaq raymi killa 2026, 19:30")."""
    return spelled(moment, language, weekday=True)


def manage_url(booking: Booking) -> str:
    return absolute(reverse("appointments:manage") + "?" + urlencode({"codigo": booking.code}))


def confirm_url(booking: Booking) -> str:
    return absolute(reverse("appointments:hold", kwargs={"token": booking.token}))


def ics(booking: Booking, *, now: dt.datetime | None = None) -> bytes:
    """The booking as an iCalendar event (RFC 5545/5546): one UID for the
    booking's whole life, SEQUENCE raised on each change, METHOD:CANCEL
    when it is cancelled; times with TZID America/Lima."""
    from icalendar import Calendar, Event, vCalAddress

    from mac.appointments.models import Booking

    cancelled = booking.status == Booking.Status.CANCELLED
    host = urlsplit(settings.SITE_URL).hostname or "plataforma-mac"
    calendar = Calendar()
    calendar.add("prodid", "-//Plataforma MAC//Citas//ES")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"cita-{booking.code}@{host}")
    event.add("sequence", booking.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(dt.UTC))
    event.add("dtstart", to_lima(booking.slot.start))
    event.add("dtend", to_lima(booking.slot.end))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add(
        "summary",
        _("Cita: %(service)s") % {"service": booking.service.plain_name},
    )
    event.add("location", f"{booking.center.name}, {booking.center.address}")
    event.add(
        "description",
        _("Código de cita %(code)s. Lleva tu documento de identidad.") % {"code": booking.code},
    )
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = "Plataforma MAC"
    event["organizer"] = organizer
    if booking.email:
        event.add("attendee", f"mailto:{booking.email}")
    calendar.add_component(event)
    # The VTIMEZONE goes before the event, as add_component would put it, but
    # as the lines written once (writing them out cost as much as the event).
    head, tail = bytes(calendar.to_ical()).split(VEVENT, 1)
    return head + _lima_vtimezone() + VEVENT + tail


VEVENT = b"BEGIN:VEVENT\r\n"


@functools.cache
def _lima_vtimezone() -> bytes:
    """America/Lima as the lines of a VTIMEZONE, built once: icalendar derives
    it by scanning the zone's history, about 50 ms each time."""
    from icalendar import Timezone

    return bytes(Timezone.from_tzid("America/Lima").to_ical())


def _context(booking: Booking) -> dict[str, str]:
    return {
        "code": booking.code,
        "service": booking.service.plain_name,
        "entity": booking.service.entity.name,
        "center": booking.center.name,
        "address": booking.center.address,
        "when": when(booking.slot.start, booking.language),
        "manage_url": manage_url(booking),
        "document_hint": f"{booking.get_document_type_display()} "
        f"{'*' * max(len(booking.document_number) - 4, 0)}{booking.document_number[-4:]}",
    }


def book_again_url(booking: Booking) -> str:
    """Where to book the booking's service again: the centers that book it
    now (the booking pages' second step)."""
    return absolute(
        reverse("appointments:start") + "?" + urlencode({"servicio": booking.service_id})
    )


def _send(kind: str, booking: Booking, context: dict[str, str], *, with_ics: bool) -> None:
    from mac.appointments.models import Booking
    from mac.notify.actions import Attachment, send

    method = "CANCEL" if booking.status == Booking.Status.CANCELLED else "REQUEST"
    attachments = (
        [Attachment("cita.ics", ics(booking), f"text/calendar; method={method}")]
        if with_ics
        else []
    )
    send(
        kind,
        email=booking.email,
        phone=booking.phone,
        language=booking.language,
        context=context,
        attachments=attachments,
        ref=f"appointments.booking:{booking.pk}",
    )


def confirmed(booking: Booking, *, now: dt.datetime) -> None:
    _send("appointment_confirmed", booking, _context(booking), with_ics=True)
    schedule_follow_up(booking, now=now)


def rescheduled(booking: Booking, *, now: dt.datetime) -> None:
    _send("appointment_rescheduled", booking, _context(booking), with_ics=True)
    schedule_follow_up(booking, now=now)


def cancelled(booking: Booking, *, now: dt.datetime) -> None:
    context = _context(booking)
    _send(
        "appointment_cancelled",
        booking,
        {k: context[k] for k in ("code", "service", "center", "when", "manage_url")},
        with_ics=True,
    )


def cancelled_by_center(booking: Booking, *, now: dt.datetime) -> None:
    """The center cancelled the booking, which it could not attend
    (`actions.cancel_by_center`): why, in the citizen's words and language,
    and where to book again."""
    context = _context(booking)
    with translation.override(booking.language):
        reason = unservable_reason(booking.cancelled_by_center, booking.attention_language)
    _send(
        "appointment_cancelled_by_center",
        booking,
        {
            **{k: context[k] for k in ("code", "service", "center", "when")},
            "when_short": to_lima(booking.slot.start).strftime("%d/%m %H:%M"),
            "reason": reason,
            "book_url": book_again_url(booking),
        },
        with_ics=True,
    )


def unservable_reason(reason: str, attention_language: str) -> str:
    """Why the center cannot attend a booking (`models.Unservable`), for its
    holder, in the active language: "ese día, a esa hora, el centro no
    atenderá"."""
    from mac.appointments.models import Unservable
    from mac.queueing.errors import in_language

    if reason == Unservable.CENTER_CLOSED:
        return _("ese día, a esa hora, el centro no atenderá")
    if reason == Unservable.LANGUAGE_UNAVAILABLE:
        return _("por ahora ningún módulo del centro atiende este trámite %(language)s") % {
            "language": in_language(attention_language)
        }
    return _("por ahora el centro no atiende este trámite")


def waitlist_offer(booking: Booking, *, now: dt.datetime) -> None:
    context = _context(booking)
    _send(
        "waitlist_offer",
        booking,
        {
            "service": context["service"],
            "center": context["center"],
            "when": context["when"],
            "code": booking.code,
            "confirm_url": confirm_url(booking),
            "when_short": to_lima(booking.slot.start).strftime("%d/%m %H:%M"),
            "offer_until": offer_until(booking.hold_until or now, now, booking.language),
        },
        with_ics=False,
    )


def offer_until(until: dt.datetime, now: dt.datetime, language: str) -> str:
    """ "11:00" when the offer ends on the Lima day it is made, else
    "01:00 del 02/12": the texts say "hasta las ..."."""
    end, today = to_lima(until), to_lima(now).date()
    if end.date() == today:
        return end.strftime("%H:%M")
    with translation.override(language):
        return _("%(time)s del %(day)s") % {
            "time": end.strftime("%H:%M"),
            "day": end.strftime("%d/%m"),
        }


def no_show(booking: Booking, *, restricted: dt.datetime | None, now: dt.datetime) -> None:
    context = _context(booking)
    _send(
        "appointment_no_show",
        booking,
        {
            "code": booking.code,
            "service": context["service"],
            "center": context["center"],
            "when": context["when"],
            "restricted_until": when(restricted, booking.language) if restricted else "",
        },
        with_ics=False,
    )


def reminder(booking: Booking, *, now: dt.datetime) -> None:
    """Worded from the Lima dates, not from the reminder's offset: a day-before
    reminder sent late, on the day itself, says "hoy", not "mañana"."""
    context = _context(booking)
    start = to_lima(booking.slot.start)
    days = (start.date() - to_lima(now).date()).days
    with translation.override(booking.language):
        if days <= 0:
            lead = _("hoy a las %(time)s") % {"time": start.strftime("%H:%M")}
        elif days == 1:
            lead = _("mañana")
        else:
            lead = _("en %(n)s días") % {"n": days}
    _send("appointment_reminder", booking, {**context, "lead": lead}, with_ics=False)


# -- Scheduling ------------------------------------------------------------


def schedule_expiry(booking: Booking) -> None:
    """A waitlist offer passes to the next person when it lapses. (An ordinary
    hold needs no task: its place is given back when it stands in the way,
    and listings discount it at once.)"""
    from mac.appointments import tasks
    from mac.appointments.models import BookingChannel

    if booking.hold_until is not None and booking.channel == BookingChannel.WAITLIST:
        tasks.expire_hold.using(run_after=booking.hold_until).enqueue(booking.pk)


def schedule_follow_up(booking: Booking, *, now: dt.datetime) -> None:
    """Enqueue the booking's next step: the next reminder still ahead, else the
    no-show check after the grace period. One task at a time per booking:
    each step enqueues the next, and carries the booking's sequence so that
    the chain of a rescheduled or cancelled booking stops."""
    from mac.appointments import tasks

    start = booking.slot.start
    for minutes in sorted(conf("REMINDER_OFFSETS_MINUTES"), reverse=True):
        at = start - dt.timedelta(minutes=minutes)
        if at > now:
            tasks.remind.using(run_after=at).enqueue(booking.pk, booking.sequence, minutes)
            return
    tasks.check_no_show.using(
        run_after=start + dt.timedelta(minutes=conf("NO_SHOW_GRACE_MINUTES"))
    ).enqueue(booking.pk, booking.sequence)
