"""Public pages of appointments (citas) on Portal MAC.

Booking: service → center → day → slot. The day's slots come from
`actions.open_day` and are swapped in by htmx (every step also works as a
plain GET). Choosing a slot POSTs a proof of work (mac/core/pow.py) and holds
the place; the hold page asks who the appointment is for and confirms it.
A waitlist offer, which already carries the document and the contact, is
confirmed on the same hold page by typing the document number again.

Who may see a booking. Only the browser that proved the code and the
document, or that just confirmed the booking: it is remembered in the
session for MANAGE_MINUTES, and the confirmation, manage, reschedule, cancel
and .ics views read it from there and call the actions with that identity
(the actions check it again). No URL names a booking except the hold's
secret token, and a wrong code or document reveals nothing.

Operator mode. For a signed-in operator of Aló MAC (`access.page_operator`)
the same pages book for a caller: no proof of work, the hold and its
confirmation go to the actions with `channel=phone` and `operator=` (so the
per-address limit does not apply and the operator is recorded and audited),
and rescheduling or cancelling passes `operator=` too (staff are not limited
in reschedules); every other rule is the citizen's. Managing still takes the
code and the document, as in the API. Every page says that it is in
operator mode (`_render` gives the templates `operator`), and every view
that renders one is `never_cache`: private, never stored for anyone else.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mac.appointments import actions, notices, queries
from mac.appointments.access import needs_proof_of_work, page_operator
from mac.appointments.conf import conf
from mac.appointments.errors import AppointmentError, ServiceNotOffered
from mac.appointments.forms import (
    ContactForm,
    LookupForm,
    RepeatDocumentForm,
    WaitlistForm,
    parse_day,
)
from mac.appointments.models import Booking, BookingChannel, Slot, Unservable, WaitlistEntry
from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core import pow
from mac.core.calendar import to_lima, today_lima
from mac.core.dates import spelled_here, whole_hours
from mac.core.language import link_language, with_spanish
from mac.core.params import parse_id
from mac.queueing.errors import LanguageUnavailable, ServiceUnstaffed
from mac.queueing.models import Language

SESSION_KEY = "appointments.booking"
MANAGE_MINUTES = 60
# Days tried, from the first open one, for a day with free slots to show first.
FIRST_DAYS_TRIED = 5

BOOK, RESCHEDULE = "reservar", "reprogramar"


# -- Helpers -----------------------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def day_label(day: dt.date) -> str:
    """ "martes 1 de diciembre de 2026"; on a Quechua page, "Atichaw 1 Qhapaq
    raymi killa 2026" (Django has no Quechua date names)."""
    return spelled_here(day, weekday=True)


def qr_svg(text: str) -> SafeString:
    """An inline SVG QR code of `text` (drawn here, no network)."""
    code = segno.make(text, error="m")
    return mark_safe(code.svg_inline(scale=5, border=2, dark="#000", light="#fff", omitsize=True))


def mask_email(email: str) -> str:
    name, _sep, domain = email.partition("@")
    return f"{name[:1]}{'*' * max(len(name) - 1, 3)}@{domain}" if domain else ""


def mask_number(number: str, shown: int = 4) -> str:
    return "*" * max(len(number) - shown, 0) + number[-shown:] if number else ""


def _ui_language() -> str:
    return "qu" if (get_language() or "").startswith("qu") else "es"


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _render(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """`render`, with the operator whose banner the page shows (None for a
    citizen)."""
    context = {"operator": page_operator(request), **(context or {})}
    return render(request, template, context, status=status)


# -- The booking this browser may manage ------------------------------------------


def _remember(request: HttpRequest, booking: Booking) -> None:
    until = timezone.now() + dt.timedelta(minutes=MANAGE_MINUTES)
    request.session[SESSION_KEY] = {
        "code": booking.code,
        "document_type": booking.document_type,
        "document_number": booking.document_number,
        "until": until.timestamp(),
    }


def _identity(request: HttpRequest) -> dict[str, str] | None:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or data.get("until", 0) < timezone.now().timestamp():
        return None
    return {k: str(data[k]) for k in ("code", "document_type", "document_number")}


def _remembered(request: HttpRequest) -> Booking | None:
    identity = _identity(request)
    if identity is None:
        return None
    try:
        return actions.get_booking(
            identity["code"], identity["document_type"], identity["document_number"]
        )
    except AppointmentError:
        return None


def _manage_again(request: HttpRequest) -> HttpResponse:
    """Back to the code-and-document form (the remembered booking is gone)."""
    messages.info(request, _("Por seguridad, vuelve a ingresar el código y tu documento."))
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("appointments:manage")
        return response
    return redirect("appointments:manage")


# -- One day's slots (booking and rescheduling) --------------------------------------


@dataclass
class Day:
    """What the day picker and its slot list show."""

    mode: str
    service: Service
    center: Center
    day: dt.date | None
    first: dt.date
    last: dt.date
    free: list[Slot] = field(default_factory=list)
    error: str = ""
    full: bool = False

    @property
    def label(self) -> str:
        return day_label(self.day) if self.day else ""

    @property
    def notice(self) -> str:
        if self.error:
            return self.error
        if self.day is None:
            return ""
        if self.free:
            return ngettext(
                "Hay %(n)s horario libre el %(day)s.",
                "Hay %(n)s horarios libres el %(day)s.",
                len(self.free),
            ) % {"n": len(self.free), "day": self.label}
        if self.full:
            return _("El %(day)s ya no tiene horarios libres.") % {"day": self.label}
        return _("Ya no quedan horarios para reservar el %(day)s. Elige otro día.") % {
            "day": self.label
        }

    @property
    def previous(self) -> dt.date | None:
        if self.day is None or self.day <= self.first:
            return None
        return min(self.day - dt.timedelta(days=1), self.last)

    @property
    def next(self) -> dt.date | None:
        if self.day is None or self.day >= self.last:
            return None
        return max(self.day + dt.timedelta(days=1), self.first)

    def params(self, day: dt.date | None = None) -> dict[str, str]:
        params = {} if self.mode == RESCHEDULE else self.place_params()
        day = day or self.day
        return {**params, "dia": day.isoformat()} if day else params

    def place_params(self) -> dict[str, str]:
        return {"servicio": str(self.service.pk), "centro": self.center.slug}

    def page_url(self, day: dt.date | None = None) -> str:
        name = "appointments:manage_booking" if self.mode == RESCHEDULE else "appointments:start"
        return reverse(name) + "?" + urlencode(self.params(day))

    def slots_url(self, day: dt.date | None = None) -> str:
        return (
            reverse("appointments:slots") + "?" + urlencode({**self.params(day), "modo": self.mode})
        )

    @property
    def previous_url(self) -> str:
        return self.page_url(self.previous) if self.previous else ""

    @property
    def next_url(self) -> str:
        return self.page_url(self.next) if self.next else ""

    @property
    def previous_slots_url(self) -> str:
        return self.slots_url(self.previous) if self.previous else ""

    @property
    def next_slots_url(self) -> str:
        return self.slots_url(self.next) if self.next else ""

    @property
    def base_slots_url(self) -> str:
        return reverse("appointments:slots")

    @property
    def form_action(self) -> str:
        name = "appointments:manage_booking" if self.mode == RESCHEDULE else "appointments:start"
        return reverse(name)

    @property
    def waitlist_url(self) -> str:
        if self.mode != BOOK or not self.full or self.day is None:
            return ""
        return reverse("appointments:waitlist") + "?" + urlencode(self.params())


def _open_day(day: Day, current: Booking | None) -> None:
    assert day.day is not None
    try:
        slots = actions.open_day(day.center, day.service, day.day)
    except AppointmentError as refused:
        day.error = refused.message
        return
    if current is not None:
        slots = [s for s in slots if s.pk != current.slot_id]
    day.free = [s for s in slots if s.available > 0]
    day.full = bool(slots) and not day.free


def day_slots(
    mode: str,
    service: Service,
    center: Center,
    chosen: dt.date | None,
    *,
    current: Booking | None = None,
    invalid: bool = False,
) -> Day:
    """The day picker's state: the chosen day's free slots or why there are
    none. Without a chosen day, the first open day with a free slot."""
    today = today_lima()
    try:
        agenda = actions.agenda_for(center, service)
    except AppointmentError as closed:  # closed since the booking was made
        day = Day(mode, service, center, None, today, today, error=closed.message)
        return day
    last = today + dt.timedelta(days=agenda.horizon_days)
    day = Day(mode, service, center, chosen, today, last)
    if invalid:
        day.error = _("La fecha no es válida. Elige un día del calendario.")
        return day
    if chosen is not None:
        _open_day(day, current)
        return day
    for candidate in queries.open_days(center, today, last)[:FIRST_DAYS_TRIED]:
        day.day = candidate
        _open_day(day, current)
        if day.free:
            break
    return day


def _day_context(request: HttpRequest, day: Day) -> dict[str, Any]:
    return {
        "days": day,
        "mode": day.mode,
        "pow_required": _pow_required(request) and day.mode == BOOK,
    }


def _pow_required(request: HttpRequest) -> bool:
    """Whether holding a slot or joining a waitlist asks for a proof of work:
    from a citizen's browser, not from an operator's (the API asks the same,
    `needs_proof_of_work`)."""
    return needs_proof_of_work(page_operator(request))


@require_safe
@never_cache
def slots(request: HttpRequest) -> HttpResponse:
    """The day picker with the day's slots (htmx partial; a plain GET goes
    to the full page)."""
    raw_day = request.GET.get("dia")
    chosen = parse_day(raw_day)
    current = None
    if request.GET.get("modo") == RESCHEDULE:
        current = _remembered(request)
        if current is None:
            return _manage_again(request)
        day = day_slots(
            RESCHEDULE,
            current.service,
            current.center,
            chosen,
            current=current,
            invalid=bool(raw_day) and chosen is None,
        )
    else:
        service = queries.bookable_service(request.GET.get("servicio"))
        center = queries.center_booking(service, request.GET.get("centro")) if service else None
        if service is None or center is None:
            raise Http404
        day = day_slots(BOOK, service, center, chosen, invalid=bool(raw_day) and chosen is None)
    if not _is_htmx(request):
        return HttpResponseRedirect(day.page_url())
    response = _render(request, "appointments/_day_swap.html", _day_context(request, day))
    response["HX-Push-Url"] = day.page_url()
    return response


# -- Booking: service, center, day ------------------------------------------------


@require_safe
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    service = queries.bookable_service(request.GET.get("servicio"))
    if service is None:
        return _services_page(request, unknown="servicio" in request.GET)
    center = queries.center_booking(service, request.GET.get("centro"))
    if center is None:
        return _centers_page(request, service, unknown="centro" in request.GET)
    raw_day = request.GET.get("dia")
    chosen = parse_day(raw_day)
    day = day_slots(BOOK, service, center, chosen, invalid=bool(raw_day) and chosen is None)
    return _day_page(request, day)


def _services_page(request: HttpRequest, *, unknown: bool) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:100]
    services = queries.bookable_services(query)
    context = {
        "step": 1,
        "query": query,
        "groups": queries.services_by_entity(services),
        "unknown": unknown,
    }
    return _render(request, "appointments/start_service.html", context)


def _centers_page(request: HttpRequest, service: Service, *, unknown: bool) -> HttpResponse:
    context = {
        "step": 2,
        "service": service,
        "centers": queries.centers_booking(service),
        "unknown": unknown,
        "not_booked": _not_booked(service, request.GET.get("centro")) if unknown else "",
    }
    return _render(request, "appointments/start_center.html", context)


def _not_booked(service: Service, slug: str | None) -> str:
    """Why the center of a link (a bookmark, a link from before) does not
    book the service, when it is that the center does not offer it or no
    counter serves it there: the booking's refusal (`service_not_offered`,
    `service_unstaffed`). "" for any other reason."""
    center = Center.objects.filter(slug=slug).first() if slug else None
    if center is None:
        return ""
    try:
        actions.agenda_for(center, service)
    except AppointmentError as refused:
        said = refused.code in ("service_not_offered", "service_unstaffed")
        return refused.message if said else ""
    return ""


def _day_page(request: HttpRequest, day: Day, *, status: int = 200) -> HttpResponse:
    context = {
        "step": 3,
        "service": day.service,
        "center": day.center,
        **_day_context(request, day),
        # A refused slot is shown at the POST's URL: the switch goes to the day.
        "language_next": day.page_url(),
    }
    return _render(request, "appointments/start_day.html", context, status=status)


@require_POST
@never_cache
def take(request: HttpRequest) -> HttpResponse:
    """Hold the chosen slot (after the proof of work; an operator, by phone)
    and go to the hold page."""
    service = queries.bookable_service(request.POST.get("servicio"))
    center = queries.center_booking(service, request.POST.get("centro")) if service else None
    if service is None or center is None:
        raise Http404
    chosen = parse_day(request.POST.get("dia"))

    def refused(message: str, status: int) -> HttpResponse:
        day = day_slots(BOOK, service, center, chosen)
        day.error = message
        return _day_page(request, day, status=status)

    slot_id = parse_id(request.POST.get("horario"))
    if slot_id is None:
        return refused(_("Elige un horario de la lista."), 422)
    if _pow_required(request):
        try:
            pow.verify(request.POST.get("pow", ""), purpose=pow.Purpose.APPOINTMENTS)
        except pow.PowError:
            return refused(
                _(
                    "No pudimos completar la verificación de seguridad de tu navegador. "
                    "Espera unos segundos y vuelve a elegir el horario."
                ),
                400,
            )
    operator = page_operator(request)
    try:
        booking = actions.hold(
            slot_id,
            service,
            channel=BookingChannel.PHONE if operator else BookingChannel.PORTAL,
            client_address=_client_address(request),
            operator=operator,
        )
    except AppointmentError as error:
        return refused(error.message, error.status)
    return redirect("appointments:hold", token=booking.token)


# -- The hold: who the appointment is for ------------------------------------------


def _again_url(booking: Booking) -> str:
    params = {
        "servicio": str(booking.service_id),
        "centro": booking.center.slug,
        "dia": to_lima(booking.slot.start).date().isoformat(),
    }
    return reverse("appointments:start") + "?" + urlencode(params)


# The hold this browser gave back last (its page then says so).
RELEASED_KEY = "citas_liberada"


def _hold_gone(request: HttpRequest, booking: Booking | None) -> HttpResponse:
    if booking is None:
        return _render(request, "appointments/hold_missing.html", {"step": 4}, status=404)
    if booking.status in (Booking.Status.HELD, Booking.Status.EXPIRED):
        # The citizen gave it back (Back after "Elegir otro horario"): say
        # so, rather than that their time ran out.
        released = (
            booking.status == Booking.Status.EXPIRED
            and request.session.get(RELEASED_KEY) == booking.pk
        )
        context = {
            "step": 4,
            "booking": booking,
            "again_url": _again_url(booking),
            "released": released,
        }
        return _render(request, "appointments/hold_expired.html", context, status=410)
    remembered = _remembered(request)
    if remembered is not None and remembered.pk == booking.pk:
        return redirect("appointments:confirmed")
    return _render(request, "appointments/hold_done.html", {"step": 4}, status=409)


@require_POST
def release(request: HttpRequest, token: str) -> HttpResponse:
    """Give the held place back at once and go choose another slot."""
    booking = queries.held(token)
    if booking is None:
        raise Http404
    if booking.status == Booking.Status.HELD:
        # Confirmed or given back meanwhile: nothing to release.
        with contextlib.suppress(AppointmentError):
            actions.release(token, operator=page_operator(request))
            request.session[RELEASED_KEY] = booking.pk
    return redirect(_again_url(booking))


def _offer_language(request: HttpRequest, booking: Booking | None) -> str | None:
    """The language a waitlist offer's page speaks when the browser has not
    chosen one (no language cookie): the one the citizen chose for the
    notices, whose SMS or email brought them here."""
    if booking is None or booking.channel != BookingChannel.WAITLIST:
        return None
    return link_language(request, booking.language)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def hold_page(request: HttpRequest, token: str) -> HttpResponse:
    booking = queries.held(token)
    language = _offer_language(request, booking)
    if language is None:
        return _hold_page(request, token, booking)
    with translation.override(language):
        response = _hold_page(request, token, booking)
    response["Content-Language"] = language
    # The confirmation and the booking's pages that follow speak it too, as
    # if the citizen had pressed the language switch.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _hold_page(request: HttpRequest, token: str, booking: Booking | None) -> HttpResponse:
    now = timezone.now()
    if (
        booking is None
        or booking.status != Booking.Status.HELD
        or booking.hold_until is None
        or booking.hold_until <= now
    ):
        return _hold_gone(request, booking)
    offer = booking.channel == BookingChannel.WAITLIST
    data = request.POST if request.method == "POST" else None
    attention = queries.attention_languages(booking.center, booking.service)
    form: ContactForm | RepeatDocumentForm
    if offer:
        form = RepeatDocumentForm(
            data,
            document_type=booking.document_type,
            expected=booking.document_number,
            attention=attention,
            initial={"attention_language": booking.attention_language},
        )
    else:
        # The portal's language preselected where the center serves it in.
        form = ContactForm(
            data,
            initial={"language": _ui_language(), "attention_language": _ui_language()},
            attention=attention,
        )
    if data is not None and form.is_valid():
        fields: dict[str, Any] = (
            {
                "document_type": booking.document_type,
                "document_number": form.cleaned_data["document_number"],
                "email": booking.email,
                "phone": booking.phone,
                "language": booking.language,
            }
            if offer
            else {
                k: form.cleaned_data[k]
                for k in ("document_type", "document_number", "email", "phone", "language")
            }
        )
        # "" when the form came without it: the booking keeps its own.
        fields["attention_language"] = form.cleaned_data["attention_language"] or None
        try:
            confirmed = actions.confirm(token, **fields, operator=page_operator(request))
        except AppointmentError as refused:
            if refused.code in ("hold_expired", "already_confirmed", "hold_not_found"):
                return _hold_gone(request, queries.held(token))
            form.add_action_error(refused)
        else:
            _remember(request, confirmed)
            return redirect("appointments:confirmed")
    context = {
        "step": 4,
        "booking": booking,
        "form": form,
        "offer": offer,
        "when": notices.when(booking.slot.start, _ui_language()),
        "seconds_left": int((booking.hold_until - now).total_seconds()),
        "document_hint": f"{booking.get_document_type_display()} "
        f"{mask_number(booking.document_number)}",
        "email_hint": mask_email(booking.email),
        "phone_hint": booking.phone[-4:],
        "again_url": _again_url(booking),
    }
    return _render(request, "appointments/hold.html", context, status=422 if data else 200)


def _booking_context(booking: Booking) -> dict[str, Any]:
    return {
        "booking": booking,
        "when": notices.when(booking.slot.start, _ui_language()),
        "email_hint": mask_email(booking.email),
        "phone_hint": booking.phone[-4:],
        "document_hint": f"{booking.get_document_type_display()} "
        f"{mask_number(booking.document_number)}",
    }


@require_safe
@never_cache
def confirmed(request: HttpRequest) -> HttpResponse:
    booking = _remembered(request)
    if booking is None:
        return _manage_again(request)
    context = {
        "step": 5,
        **_booking_context(booking),
        "qr": qr_svg(booking.code),
        "check_in_from": f"{to_lima(actions.check_in_from(booking)):%H:%M}",
        "late": conf("CHECKIN_LATE_MINUTES"),
        "late_hours": whole_hours(conf("CHECKIN_LATE_MINUTES")),
    }
    return _render(request, "appointments/confirmed.html", context)


# -- Managing a booking -------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def manage(request: HttpRequest) -> HttpResponse:
    """Code and document: the key to one's booking."""
    status = 200
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = actions.get_booking(
                    data["code"], data["document_type"], data["document_number"]
                )
            except AppointmentError as refused:
                form.add_action_error(refused)
                status = refused.status
            else:
                _remember(request, booking)
                return redirect("appointments:manage_booking")
        else:
            status = 422
    else:
        code = "".join(request.GET.get("codigo", "").split()).upper()[:12]
        form = LookupForm(initial={"code": code})
    return _render(request, "appointments/manage.html", {"form": form}, status=status)


def _changeable(booking: Booking) -> bool:
    """Whether the citizen may still reschedule or cancel it (actions check
    it again)."""
    return booking.status == Booking.Status.CONFIRMED and booking.slot.start > timezone.now()


def _holder_notice(affected: queries.Affected) -> str:
    """What the page of a booking that check-in would refuse tells the
    citizen who holds it: the center cannot attend it; they may cancel it
    (or move it, when only its day or time is the trouble), or the center
    will cancel it and tell them (`actions.cancel_by_center`). Not the
    booking pages' refusal ("no puedes reservar..."): they already have one."""
    booking = affected.booking
    names = {"center": booking.center.name, "service": booking.service.plain_name}
    if affected.reason == Unservable.SERVICE_UNSTAFFED:
        return ServiceUnstaffed(**names, audience="holder").message
    if affected.reason == Unservable.LANGUAGE_UNAVAILABLE:
        return LanguageUnavailable(
            **names, language=booking.attention_language, audience="holder"
        ).message
    if affected.reason == Unservable.SERVICE_NOT_OFFERED:
        return ServiceNotOffered(**names, audience="holder").message
    return with_spanish(
        _(
            "El %(day)s, a la hora de tu cita, %(center)s no atenderá: el centro no podrá"
            " atenderte. Elige otro horario o anula tu cita; si no, el centro la anulará y te"
            " avisará."
        ),
        {"center": booking.center.name},
        day=day_label(to_lima(booking.slot.start).date()),
    )


def _manage_page(
    request: HttpRequest, booking: Booking, *, error: str = "", status: int = 200
) -> HttpResponse:
    changeable = _changeable(booking)
    # Read from the database: the page must not offer a move that the
    # center's current setup refuses, nor keep quiet about it.
    affected = queries.unservable(booking) if changeable else None
    # Only a booking whose day or time is closed can still be moved (to
    # another day or time): else no slot of its service and language serves.
    movable = changeable and (affected is None or affected.reason == Unservable.CENTER_CLOSED)
    context: dict[str, Any] = {
        **_booking_context(booking),
        "changeable": changeable,
        "movable": movable,
        "unservable": _holder_notice(affected) if affected else "",
        "cancelled_by_center": (
            notices.unservable_reason(booking.cancelled_by_center, booking.attention_language)
            if booking.status == Booking.Status.CANCELLED and booking.cancelled_by_center
            else ""
        ),
        "book_again_url": reverse("appointments:start")
        + "?"
        + urlencode({"servicio": booking.service_id}),
        "qr": qr_svg(booking.code),
    }
    if movable:
        raw_day = request.GET.get("dia")
        chosen = parse_day(raw_day)
        day = day_slots(
            RESCHEDULE,
            booking.service,
            booking.center,
            # Its own day, unless the center closed it: then the first open one.
            chosen or (None if affected else to_lima(booking.slot.start).date()),
            current=booking,
            invalid=bool(raw_day) and chosen is None,
        )
        day.error = error or day.error
        context.update(_day_context(request, day))
        # A refused change is shown at the POST's URL: the switch goes to the day.
        context["language_next"] = day.page_url()
    else:
        context["language_next"] = reverse("appointments:manage_booking")
        if error:
            context["error"] = error
    return _render(request, "appointments/manage_booking.html", context, status=status)


@require_safe
@never_cache
def manage_booking(request: HttpRequest) -> HttpResponse:
    booking = _remembered(request)
    if booking is None:
        return _manage_again(request)
    return _manage_page(request, booking)


@require_POST
@never_cache
def reschedule(request: HttpRequest) -> HttpResponse:
    booking = _remembered(request)
    identity = _identity(request)
    if booking is None or identity is None:
        return _manage_again(request)
    slot_id = parse_id(request.POST.get("horario"))
    if slot_id is None:
        return _manage_page(request, booking, error=_("Elige un horario de la lista."), status=422)
    try:
        moved = actions.reschedule(
            identity["code"],
            document_type=identity["document_type"],
            document_number=identity["document_number"],
            slot_id=slot_id,
            operator=page_operator(request),
        )
    except AppointmentError as refused:
        return _manage_page(request, booking, error=refused.message, status=refused.status)
    messages.success(
        request,
        _("Listo: tu cita ahora es el %(when)s. Te enviamos la nueva confirmación.")
        % {"when": notices.when(moved.slot.start, _ui_language())},
    )
    return redirect("appointments:manage_booking")


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def cancel(request: HttpRequest) -> HttpResponse:
    """Cancel, after a confirmation step. A booking that can no longer be
    cancelled (cancelled already, say, when the citizen comes back to this
    page or presses the button twice) is shown with its status instead of
    the question."""
    booking = _remembered(request)
    identity = _identity(request)
    if booking is None or identity is None:
        return _manage_again(request)
    if request.method == "POST":
        try:
            actions.cancel(
                identity["code"],
                document_type=identity["document_type"],
                document_number=identity["document_number"],
                operator=page_operator(request),
            )
        except AppointmentError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Tu cita fue anulada. Te enviamos un aviso."))
        return redirect("appointments:manage_booking")
    if not _changeable(booking):
        return redirect("appointments:manage_booking")
    return _render(request, "appointments/cancel.html", _booking_context(booking))


@require_safe
@never_cache
def calendar_file(request: HttpRequest) -> HttpResponse:
    """The booking as an .ics file, only for the browser that may manage it."""
    booking = _remembered(request)
    if booking is None:
        return _manage_again(request)
    response = HttpResponse(notices.ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cita-{booking.code}.ics"'
    return response


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    """Leave: this browser no longer shows the booking (shared computers)."""
    request.session.pop(SESSION_KEY, None)
    return redirect("appointments:manage")


# -- Waitlist ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def waitlist(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    service = queries.bookable_service(params.get("servicio"))
    center = queries.center_booking(service, params.get("centro")) if service else None
    day = parse_day(params.get("dia"))
    if service is None or center is None or day is None:
        raise Http404
    place = urlencode({"servicio": service.pk, "centro": center.slug, "dia": day.isoformat()})
    here = reverse("appointments:waitlist") + "?" + place
    status = 200
    if request.method == "POST":
        form = WaitlistForm(request.POST, attention=queries.attention_languages(center, service))
        status = 422
        if form.is_valid():
            entry, status = _join_waitlist(request, form, service, center, day)
            if entry is not None:
                # Post/Redirect/Get: a reload shows the page again, it does
                # not send the form again ("Ya estás en la lista...").
                request.session[JOINED_KEY] = entry.pk
                return redirect(here)
    else:
        if _joined(request, service, center, day):
            context = {
                "service": service,
                "center": center,
                "day_text": day_label(day),
                "offer_minutes": conf("WAITLIST_OFFER_MINUTES"),
                "offer_hours": whole_hours(conf("WAITLIST_OFFER_MINUTES")),
                "language_next": here,
            }
            return _render(request, "appointments/waitlist_done.html", context)
        form = WaitlistForm(
            initial={"language": _ui_language(), "attention_language": _ui_language()},
            attention=queries.attention_languages(center, service),
        )
    context = {
        "service": service,
        "center": center,
        "day": day,
        "day_text": day_label(day),
        "form": form,
        "pow_required": _pow_required(request),
        "back_url": reverse("appointments:start") + "?" + place,
        # After a refused POST the URL has no query: the switch comes back here.
        "language_next": here,
    }
    return _render(request, "appointments/waitlist.html", context, status=status)


# The waitlist entry this browser made last (its page then says it is made).
JOINED_KEY = "citas_lista_de_espera"


def _joined(request: HttpRequest, service: Service, center: Center, day: dt.date) -> bool:
    """Whether this browser put someone on this day's waitlist, still waiting."""
    pk = request.session.get(JOINED_KEY)
    return (
        isinstance(pk, int)
        and WaitlistEntry.objects.filter(
            pk=pk, service=service, center=center, date=day, status=WaitlistEntry.Status.WAITING
        ).exists()
    )


def _join_waitlist(
    request: HttpRequest, form: WaitlistForm, service: Service, center: Center, day: dt.date
) -> tuple[WaitlistEntry | None, int]:
    """The new entry, or None and the status of the refusal (shown on the form)."""
    if _pow_required(request):
        try:
            pow.verify(request.POST.get("pow", ""), purpose=pow.Purpose.APPOINTMENTS)
        except pow.PowError:
            form.add_error(
                None,
                _(
                    "No pudimos completar la verificación de seguridad de tu navegador. "
                    "Espera unos segundos y vuelve a enviar el formulario."
                ),
            )
            return None, 400
    data = form.cleaned_data
    try:
        entry = actions.join_waitlist(
            center,
            service,
            day,
            document_type=data["document_type"],
            document_number=data["document_number"],
            email=data["email"],
            phone=data["phone"],
            language=data["language"],
            attention_language=data["attention_language"] or Language.SPANISH,
            operator=page_operator(request),
        )
    except AppointmentError as refused:
        form.add_action_error(refused)
        return None, refused.status
    return entry, 200


# -- Proof of work -----------------------------------------------------------------


@require_safe
@never_cache
def pow_challenge(request: HttpRequest) -> JsonResponse:
    """A fresh proof-of-work challenge for the public booking and waitlist forms."""
    challenge = pow.new_challenge(
        purpose=pow.Purpose.APPOINTMENTS,
        max_number=conf("POW_MAX_NUMBER"),
        seconds=conf("POW_SECONDS"),
    )
    return JsonResponse(challenge.as_dict())
