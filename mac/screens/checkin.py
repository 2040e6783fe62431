"""Arriving with an appointment: the kiosk's "Tengo cita" screens and the
orientation desk's check-in form. Both call appointments' `check_in`, which
turns the booking into a ticket; the kiosk then shows and prints it like a
walk-in ticket.

The kiosk follows kiosk.py: the same device-cookie authorisation, and the
same one-time form key, stored with the ticket in the check-in's
transaction, so that a double tap (or a QR reader's second Enter) answers
with the ticket already issued instead of "already checked in"."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_POST, require_safe

from mac.appointments import actions as appointments
from mac.appointments.errors import AppointmentError, Invalid
from mac.appointments.models import Booking
from mac.centers.models import Center
from mac.queueing.models import Ticket
from mac.queueing.queries import estimated_wait
from mac.screens import printing
from mac.screens.forms import (
    CHECKIN_KEY_EXPIRED,
    CHECKIN_KEY_SALT,
    CheckinForm,
    KioskCheckinForm,
    new_form_key,
)
from mac.screens.kiosk import (
    REFUSED_SECONDS,
    Issued,
    _context,
    _ticket_page,
    chosen_language,
    kiosk_view,
    posted_choices,
)
from mac.screens.kiosk import in_spanish as kiosk_in_spanish
from mac.screens.models import KioskRequest
from mac.screens.orientation import _guard, _is_htmx, _page, _printed, recent_tickets


def check_in_here(
    center: Center, data: dict[str, Any], *, source: str, by: Any, language: str = ""
) -> Booking:
    """Check in the booking of this code and document if it is at `center`.
    A booking elsewhere is refused before anything changes, so that nobody
    gets a ticket of another center's queue. The visit speaks the booking's
    language of attention (not its notices'), or `language` when the citizen
    chose one at the kiosk or the desk chose one."""
    return appointments.check_in(
        data["code"],
        document_type=data["document_type"],
        document_number=data["document_number"],
        source=source,
        center=center,
        language=language,
        by=by,
    )


def _ticket_language(ticket: Ticket) -> str:
    """The language of the ticket's paper and screen: the visit's, when the
    screens speak it."""
    return ticket.language if ticket.language in dict(settings.LANGUAGES) else ""


def check_in_once(
    center: Center, key: str, data: dict[str, Any], by: Any, *, language: str = ""
) -> Issued:
    """Check in for this one-time key, or return the ticket the key already
    produced (see kiosk.issue_once). A refusal rolls the key back with it."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                request_row = KioskRequest.objects.create(
                    key=key, center=center, created_at=timezone.now()
                )
        except IntegrityError:
            request_row = KioskRequest.objects.select_related("ticket").get(key=key)
            if request_row.center_id != center.pk or request_row.ticket is None:
                raise Http404 from None
            if not Booking.objects.filter(ticket=request_row.ticket).exists():
                # The key issued a walk-in ticket: it is no key of this form.
                raise Invalid(str(CHECKIN_KEY_EXPIRED), code="key") from None
            return Issued(request_row.ticket, created=False, print_failed=request_row.print_failed)
        booking = check_in_here(center, data, source="kiosk", by=by, language=language)
        assert booking.ticket is not None
        request_row.ticket = booking.ticket
        request_row.save(update_fields=["ticket"])
    return Issued(booking.ticket, created=True)


def _form_page(
    request: HttpRequest,
    center: Center,
    form: KioskCheckinForm,
    key: str,
    *,
    message: str = "",
    status: int = 200,
    in_spanish: dict[str, Any] | None = None,
) -> HttpResponse:
    context = _context(
        center,
        1,
        checkin=True,
        form=form,
        form_key=key,
        message=message,
        in_spanish=in_spanish,
        kiosk_start=False,
        lang_next=reverse("screens:kiosk_checkin", args=[center.slug]),
    )
    if status != 200:
        # After a failed attempt, back to the start sooner: the next person
        # at the kiosk must not find this citizen's attempt.
        context["idle_seconds"] = min(REFUSED_SECONDS, context["idle_seconds"])
    return render(request, "screens/kiosk_checkin.html", context, status=status)


@require_safe
@kiosk_view
def kiosk_checkin(request: HttpRequest, center: Center) -> HttpResponse:
    form = KioskCheckinForm(initial={"document_type": "dni"})
    return _form_page(request, center, form, new_form_key(CHECKIN_KEY_SALT))


@require_POST
@kiosk_view
def kiosk_checkin_post(request: HttpRequest, center: Center) -> HttpResponse:
    url = reverse("screens:kiosk_checkin_post", args=[center.slug])
    posted = posted_choices(request, url)
    if posted is None:
        # "Continuar en castellano" too late: the code and the document are gone.
        blank = KioskCheckinForm(initial={"document_type": "dni"})
        key = new_form_key(CHECKIN_KEY_SALT)
        expired = str(CHECKIN_KEY_EXPIRED)
        return _form_page(request, center, blank, key, message=expired, status=422)
    form = KioskCheckinForm(posted)
    if not form.is_valid():
        # Nothing was stored: the same key stays good, unless it was the problem.
        key = new_form_key(CHECKIN_KEY_SALT) if "key" in form.errors else posted.get("key", "")
        return _form_page(request, center, form, key, status=422)
    by = request.user if request.user.is_authenticated else None
    # "Continuar en castellano" after a refusal for a language no counter has.
    asked = form.cleaned_data["language"]
    try:
        issued = check_in_once(
            center,
            form.cleaned_data["key"],
            form.cleaned_data,
            by,
            language=asked or chosen_language(request),
        )
    except AppointmentError as refused:
        key = new_form_key(CHECKIN_KEY_SALT) if refused.code == "key" else posted["key"]
        # The refusal is said; the code and the document number are not shown
        # again on a shared screen (only the document type, which is no one's).
        blank = KioskCheckinForm(initial={"document_type": form.cleaned_data["document_type"]})
        in_spanish = None
        if refused.code == "language_unavailable":
            # The same check-in in Spanish: the code and the document wait in
            # the session, neither on screen nor in the page (`in_spanish`).
            data = form.cleaned_data
            choices = {
                "key": key,
                "code": data["code"],
                "document_type": data["document_type"],
                "document_number": data["document_number"],
            }
            in_spanish = kiosk_in_spanish(request, url, choices)
        return _form_page(
            request,
            center,
            blank,
            key,
            message=refused.message,
            status=refused.status,
            in_spanish=in_spanish,
        )
    ticket = issued.ticket
    wait = estimated_wait(ticket, timezone.now())
    # The ticket speaks the citizen's language: the booking's language of
    # attention, or the one they chose on this kiosk (then the screen speaks
    # it already). Asked to go on in Spanish, the citizen keeps the screen's
    # language.
    language = "" if asked else _ticket_language(ticket)
    printed = not (issued.created and printing.printer_configured(center)) or printing.print_ticket(
        ticket, wait_seconds=wait, language=language
    )
    if not printed:
        KioskRequest.objects.filter(ticket=ticket).update(print_failed=True)
        issued.print_failed = True
    booking = Booking.objects.select_related("slot").get(ticket=ticket)
    with translation.override(language or translation.get_language()):
        return _ticket_page(
            request, center, ticket, wait, print_failed=issued.print_failed, booking=booking
        )


# -- Orientation desk ----------------------------------------------------------------


@require_POST
def orientation_checkin(request: HttpRequest, slug: str) -> HttpResponse:
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    form = CheckinForm(request.POST)
    error, status = "", 200
    tickets: list[Ticket] = []
    if not form.is_valid():
        status = 422
    else:
        try:
            booking = check_in_here(
                center,
                form.cleaned_data,
                source="orientation",
                by=request.user,
                language=form.cleaned_data["language"],
            )
        except AppointmentError as refused:
            error, status = refused.message, refused.status
        else:
            assert booking.ticket is not None
            tickets = [booking.ticket]
    context = {
        "checkin_form": form if not tickets else CheckinForm(),
        "checkin_error": error,
        # The paper speaks the booking's language of attention; the desk's page, the staff's.
        "checked_in": [_printed(t, language=_ticket_language(t)) for t in tickets],
    }
    if _is_htmx(request):
        context["center"] = center
        if tickets:
            context["recent_oob"] = recent_tickets(center)
        return render(request, "screens/_orientation_checkin.html", context, status=status)
    return _page(request, center, status=status, **context)


urlpatterns = [
    path("centros/<slug:slug>/kiosko/cita/", kiosk_checkin, name="kiosk_checkin"),
    path(
        "centros/<slug:slug>/kiosko/cita/registrar/", kiosk_checkin_post, name="kiosk_checkin_post"
    ),
    path("centros/<slug:slug>/orientacion/cita/", orientation_checkin, name="orientation_checkin"),
]
