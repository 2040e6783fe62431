"""The kiosk of a Centro MAC: entity, service, what the citizen declares,
then the ticket (on screen and on paper).

How a kiosk is authorised. A kiosk is a browser that holds a signed device
cookie for one center. A coordinator of that center (or a national supervisor)
signs in on the kiosk's browser, opens /centros/<slug>/kiosko/activar/ and
names the device: the server creates a KioskDevice row, sets the cookie
(HttpOnly, signed with SECRET_KEY, valid KIOSK_DEVICE_DAYS) and signs the
coordinator out, so the kiosk never carries a staff session. The cookie
grants nothing but issuing tickets at that one center, and revoking the row
on the same page disables it at once. Staff of the center (coordinator,
orientation) and national supervisors may also use the kiosk screens with
their own session, e.g. to test them. Anyone else gets a 403 page.

Double taps. The ticket form carries a one-time key signed by the server;
the key is stored (unique) in the same transaction that issues the ticket, so
a repeated POST waits for the first and answers with its ticket.

The screens recover by themselves: kiosk.js returns to the start after 60 s
without a touch or a key (20 s on a refusal that holds what the citizen
typed), and after showing a ticket.

"Continuar en castellano". A refusal for a language no counter has offers to
send the same choices again in Spanish. The page is public (the next person
reads its source, or just taps the button), so the choices, with the
document number and a booking's code, never go into it: they wait in the
kiosk's session (server-side rows; the browser holds only the session's
random id) and the button carries a random token for them. The token works
for RETRY_SECONDS, only in this browser, and the kiosk's restart (after
REFUSED_SECONDS without a touch, or "Volver al inicio") forgets them.
"""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language

from mac.accounts.models import Role
from mac.appointments import queries as appointment_queries
from mac.catalog.models import Entity, Service
from mac.centers.models import Center
from mac.core.access import NATIONAL, centers_editable_by, centers_visible_to, role_of
from mac.core.params import parse_id
from mac.queueing import actions
from mac.queueing.errors import QueueError
from mac.queueing.models import Source, Ticket
from mac.queueing.queries import estimated_wait, estimated_wait_new, staffed_services
from mac.screens import printing
from mac.screens.forms import KioskDeviceForm, KioskForm, new_form_key
from mac.screens.models import KioskDevice, KioskRequest

DEVICE_COOKIE = "mac_kiosk"
# The language the citizen chose on the kiosk's switch (cleared at each
# restart): an appointment check-in follows it rather than the booking's.
LANGUAGE_CHOSEN_COOKIE = "mac_kiosk_idioma"
DEVICE_SALT = "mac.screens.kiosk.device"
IDLE_SECONDS = 60
TICKET_SECONDS = 30
# Seconds without a touch before a refused or mistyped form, or a refusal
# that holds the citizen's choices for "Continuar en castellano", goes back
# to the start (the other screens wait KIOSK_IDLE_SECONDS): long enough to
# read the refusal, and every touch or key gives them again.
REFUSED_SECONDS = 20
# "Continuar en castellano": where the choices wait (the session), and for
# how long its button works, touches or not.
RETRY_SESSION_KEY = "mac.screens.kiosk.in_spanish"
RETRY_SECONDS = 60

# Pictograms by entity slug (static/screens/pictograms/<name>.svg).
PICTOGRAMS = {
    "reniec": "identity",
    "sunat": "tax",
    "sat-lima": "tax",
    "sunarp": "property",
    "cofopri": "property",
    "migraciones": "passport",
    "mtc": "transport",
    "sutran": "transport",
    "essalud": "health",
    "sis": "health",
    "minsa": "health",
    "susalud": "health",
    "onp": "pension",
    "banco-de-la-nacion": "bank",
    "sbs": "bank",
    "pnp": "police",
    "mininter": "police",
    "inpe": "police",
    "poder-judicial": "justice",
    "minjusdh": "justice",
    "defensoria-del-pueblo": "justice",
    "indecopi": "justice",
    "sunedu": "education",
    "minedu": "education",
    "servir": "education",
    "mtpe": "work",
    "sunafil": "work",
    "produce": "work",
    "osce": "work",
    "midis": "family",
    "conadis": "family",
}
GENERIC_PICTOGRAM = "building"


# -- Device authorisation ------------------------------------------------------


def _device(request: HttpRequest) -> KioskDevice | None:
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        device_id = signing.loads(
            value, salt=DEVICE_SALT, max_age=settings.KIOSK_DEVICE_DAYS * 86400
        )
    except signing.BadSignature:
        return None
    return KioskDevice.objects.filter(pk=device_id, revoked_at=None).first()


def _staff_of(user: Any, center: Center) -> bool:
    role = role_of(user)
    if role not in (NATIONAL, Role.CENTER_COORDINATOR, Role.ORIENTATION):
        return False
    return centers_visible_to(user).filter(pk=center.pk).exists()


def kiosk_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the center and refuse browsers that are not its kiosk."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str) -> HttpResponse:
        center = get_object_or_404(Center, slug=slug)
        device = _device(request)
        if not (device and device.center_id == center.pk) and not _staff_of(request.user, center):
            return render(request, "screens/kiosk_denied.html", {"center": center}, status=403)
        return view(request, center)

    return wrapper


@require_http_methods(["GET", "HEAD", "POST"])
def activate(request: HttpRequest, slug: str) -> HttpResponse:
    """A coordinator turns this browser into a kiosk of the center (or revokes one)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    center = get_object_or_404(centers_editable_by(request.user), slug=slug)
    form = KioskDeviceForm(request.POST or None)
    if request.method == "POST" and "revoke" in request.POST:
        pk = parse_id(request.POST["revoke"])
        if pk is not None:
            KioskDevice.objects.filter(center=center, pk=pk, revoked_at=None).update(
                revoked_at=timezone.now()
            )
        return HttpResponseRedirect(request.path)
    if request.method == "POST" and form.is_valid():
        device = KioskDevice.objects.create(
            center=center,
            name=form.cleaned_data["name"],
            created_at=timezone.now(),
            created_by=request.user,
        )
        logout(request)
        response = HttpResponseRedirect(reverse("screens:kiosk", args=[center.slug]))
        response.set_cookie(
            DEVICE_COOKIE,
            signing.dumps(device.pk, salt=DEVICE_SALT),
            max_age=settings.KIOSK_DEVICE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
    devices = KioskDevice.objects.filter(center=center, revoked_at=None)
    context = {"center": center, "form": form, "devices": devices}
    return render(request, "screens/kiosk_activate.html", context)


# -- Reads for the screens -----------------------------------------------------


def offered_services(center: Center) -> QuerySet[Service]:
    """Published services this center offers, with their entity."""
    return (
        Service.objects.published()
        .filter(offers__center=center, offers__active=True)
        .select_related("entity")
        .distinct()
    )


def _entities(center: Center) -> QuerySet[Entity]:
    """The entities the kiosk lists: those with a service offered here that
    some active counter serves. The kiosk lists only what it can issue
    (`actions.check_staffed`): a service nobody serves is left out rather
    than shown disabled, since a greyed-out button on a shared touch screen
    is still tapped and read, and the citizen who misses it asks at
    orientation, where staff see it marked."""
    offered = Q(
        services__offers__center=center,
        services__offers__active=True,
        services__status=Service.Status.PUBLISHED,
        services__in=staffed_services(center.pk),
    )
    return (
        Entity.objects.filter(offered, status=Entity.Status.ACTIVE).distinct().order_by("acronym")
    )


@functools.cache
def pictogram(slug: str) -> str:
    """Static path of an entity's pictogram."""
    name = PICTOGRAMS.get(slug, GENERIC_PICTOGRAM)
    found = finders.find(f"screens/pictograms/{slug}.svg")
    return f"screens/pictograms/{slug}.svg" if found else f"screens/pictograms/{name}.svg"


def minutes(seconds: int | None) -> int | None:
    return None if seconds is None else max(1, round(seconds / 60))


def _context(center: Center, step: int, **extra: Any) -> dict[str, Any]:
    return {
        "center": center,
        "step": step,
        "idle_seconds": getattr(settings, "KIOSK_IDLE_SECONDS", IDLE_SECONDS),
        "restart_url": reverse("screens:kiosk_restart", args=[center.slug]),
        **extra,
    }


# -- Steps -----------------------------------------------------------------------


@require_safe
@kiosk_view
def start(request: HttpRequest, center: Center) -> HttpResponse:
    forget_choices(request)  # a new citizen
    entities = [{"entity": e, "pictogram": pictogram(e.slug)} for e in _entities(center)]
    is_open = center.is_open_at(timezone.now())
    context = _context(
        center,
        1,
        entities=entities,
        is_open=is_open,
        books=appointment_queries.center_books(center),
    )
    return render(request, "screens/kiosk_entities.html", context)


@require_safe
@kiosk_view
def services(request: HttpRequest, center: Center) -> HttpResponse:
    entity = _entities(center).filter(slug=request.GET.get("entidad", "")).first()
    if entity is None:
        raise Http404
    offered = offered_services(center).filter(entity=entity).order_by("plain_name")
    staffed = staffed_services(center.pk)
    items = [service for service in offered if service.pk in staffed]
    # Some of the entity's services here are not listed: nobody serves them
    # (`_entities`); the page says to ask at orientation.
    unlisted = len(items) < len(offered)
    context = _context(
        center,
        2,
        entity=entity,
        pictogram=pictogram(entity.slug),
        services=items,
        unlisted=unlisted,
    )
    return render(request, "screens/kiosk_services.html", context)


def _service_or_none(center: Center, raw: str | None) -> Service | None:
    pk = parse_id(raw)
    if pk is None:
        return None
    return offered_services(center).filter(pk=pk).first()


def _details(
    request: HttpRequest, center: Center, service: Service, form: KioskForm, key: str
) -> HttpResponse:
    now = timezone.now()
    wait = estimated_wait_new(center, service, now)
    waiting = Ticket.objects.waiting().filter(center=center, service=service).count()
    context = _context(
        center,
        3,
        service=service,
        pictogram=pictogram(service.entity.slug),
        form=form,
        form_key=key,
        wait_minutes=minutes(wait),
        waiting=waiting,
        is_open=center.is_open_at(now),
        # After a refused POST, the language switch returns to this form by GET.
        lang_next=reverse("screens:kiosk_details", args=[center.slug]) + f"?servicio={service.pk}",
    )
    return render(request, "screens/kiosk_details.html", context)


def _refused(
    request: HttpRequest,
    center: Center,
    service: Service,
    err: QueueError,
    choices: dict[str, str] | None = None,
) -> HttpResponse:
    """The kiosk's page for a ticket it may not issue. "Tengo cita" only where
    the citizen can have a booking of this service: at a center that books it
    (the message says the same, `actions.check_walk_in`). Where no counter has
    the language they chose, "Continuar en castellano" sends their `choices`
    again with Spanish (nothing was stored: the form's key is still good)."""
    checkin_url = ""
    if err.code == "appointment_required" and appointment_queries.center_books_service(
        center, service
    ):
        checkin_url = reverse("screens:kiosk_checkin", args=[center.slug])
    context = _context(center, 3, message=err.message, checkin_url=checkin_url)
    if err.code == "language_unavailable" and choices is not None:
        url = reverse("screens:kiosk_issue", args=[center.slug])
        context["in_spanish"] = in_spanish(request, url, choices)
        context["idle_seconds"] = min(REFUSED_SECONDS, context["idle_seconds"])
    return render(request, "screens/kiosk_error.html", context, status=err.status)


def in_spanish(request: HttpRequest, url: str, choices: dict[str, str]) -> dict[str, Any]:
    """The "Continuar en castellano" form of a refusal for a language no
    counter has: the same choices, posted again to `url` with Spanish. The
    choices wait in the session; the form carries only a token for them
    (see the module's docstring)."""
    token = secrets.token_urlsafe(16)
    request.session[RETRY_SESSION_KEY] = {
        "token": token,
        "url": url,
        "at": time.time(),
        "choices": {**choices, "language": "es"},
    }
    return {"url": url, "token": token}


def posted_choices(request: HttpRequest, url: str) -> dict[str, Any] | None:
    """What a kiosk form posted to `url`: its fields, or, for "Continuar en
    castellano", the choices its token stands for; None when that token is
    not this browser's latest, is older than RETRY_SECONDS, or the kiosk
    restarted since. A used token stays good until then, so that a double tap
    answers with the ticket already issued (the form's one-time key)."""
    if "retry" not in request.POST:
        return request.POST.dict()
    saved = request.session.get(RETRY_SESSION_KEY)
    token = request.POST["retry"]
    if not (saved and token and constant_time_compare(token, saved["token"])):
        return None
    if saved["url"] != url or time.time() - saved["at"] > RETRY_SECONDS:
        forget_choices(request)
        return None
    return dict(saved["choices"])


def forget_choices(request: HttpRequest) -> None:
    """Drop the choices a "Continuar en castellano" button stood for."""
    request.session.pop(RETRY_SESSION_KEY, None)


@require_safe
@kiosk_view
def details(request: HttpRequest, center: Center) -> HttpResponse:
    service = _service_or_none(center, request.GET.get("servicio"))
    if service is None:
        raise Http404
    try:
        # Say it before the citizen types their data, not after (a page left
        # open may still list a service nobody serves now).
        actions.check_staffed(center, service, audience="citizen")
        actions.check_walk_in(center, service, Source.KIOSK)
    except QueueError as err:
        return _refused(request, center, service, err)
    form = KioskForm(initial={"language": "es", "priority_reason": ""})
    return _details(request, center, service, form, new_form_key())


@dataclass
class Issued:
    ticket: Ticket
    created: bool
    print_failed: bool = False


def issue_once(center: Center, service: Service, key: str, data: dict[str, Any], by: Any) -> Issued:
    """Issue the kiosk ticket for this one-time key, or return the ticket the
    key already issued. The key row and the ticket commit together; a second
    POST with the key blocks on the unique index until the first commits."""
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
            return Issued(request_row.ticket, created=False, print_failed=request_row.print_failed)
        ticket = actions.issue_ticket(
            center,
            service,
            by=by,
            source=Source.KIOSK,
            document_type=data["document_type"],
            document_number=data["document_number"],
            priority_reason=data["priority_reason"],
            language=data["language"],
        )
        request_row.ticket = ticket
        request_row.save(update_fields=["ticket"])
    return Issued(ticket, created=True)


@require_POST
@kiosk_view
def issue(request: HttpRequest, center: Center) -> HttpResponse:
    posted = posted_choices(request, reverse("screens:kiosk_issue", args=[center.slug]))
    if posted is None:
        message = _("El formulario caducó. Vuelve a elegir el servicio.")
        context = _context(center, 3, message=message)
        return render(request, "screens/kiosk_error.html", context, status=422)
    service = _service_or_none(center, posted.get("servicio"))
    if service is None:
        message = _("Ese servicio no se ofrece en este Centro MAC. Vuelve a elegirlo.")
        context = _context(center, 3, message=message)
        return render(request, "screens/kiosk_error.html", context, status=422)
    form = KioskForm(posted)
    if not form.is_valid():
        # Nothing was stored: the same key stays good, unless it was the problem.
        key = new_form_key() if "key" in form.errors else posted["key"]
        return _details(request, center, service, form, key)
    by = request.user if request.user.is_authenticated else None
    try:
        issued = issue_once(center, service, form.cleaned_data["key"], form.cleaned_data, by)
    except QueueError as err:
        data = form.cleaned_data
        choices = {
            "servicio": str(service.pk),
            "key": posted["key"],
            "document_type": data["document_type"],
            "document_number": data["document_number"],
            "priority_reason": data["priority_reason"],
        }
        return _refused(request, center, service, err, choices)
    ticket = issued.ticket
    wait = estimated_wait(ticket, timezone.now())
    if issued.created and printing.printer_configured(center):
        printed = printing.print_ticket(ticket, wait_seconds=wait)
        if not printed:
            KioskRequest.objects.filter(ticket=ticket).update(print_failed=True)
            issued.print_failed = True
    return _ticket_page(request, center, ticket, wait, print_failed=issued.print_failed)


def _ticket_page(
    request: HttpRequest,
    center: Center,
    ticket: Ticket,
    wait: int | None,
    *,
    print_failed: bool,
    booking: Any = None,
) -> HttpResponse:
    """The ticket on screen; `booking` when it comes from an appointment
    check-in (mac/screens/checkin.py)."""
    url = printing.status_url(ticket)
    context = _context(
        center,
        4,
        ticket=ticket,
        booking=booking,
        checkin=booking is not None,
        wait_minutes=minutes(wait),
        status_url=url,
        qr=printing.qr_svg(url),
        print_failed=print_failed,
        printer=printing.printer_configured(center),
        idle_seconds=min(TICKET_SECONDS, getattr(settings, "KIOSK_IDLE_SECONDS", IDLE_SECONDS)),
    )
    return render(request, "screens/kiosk_ticket.html", context)


@require_safe
def restart(request: HttpRequest, slug: str) -> HttpResponse:
    """Back to the start in Spanish: the next citizen must not inherit the
    previous one's language, nor their choices (`in_spanish`)."""
    forget_choices(request)
    response = HttpResponseRedirect(reverse("screens:kiosk", args=[slug]))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE, samesite="Lax")
    response.delete_cookie(LANGUAGE_CHOSEN_COOKIE, samesite="Lax")
    return response


@require_POST
def switch_language(request: HttpRequest, slug: str) -> HttpResponse:
    """The kiosk's language buttons: Django's set_language, noting that this
    citizen chose the language (see `chosen_language`)."""
    response = set_language(request)
    chosen = request.POST.get("language", "")
    if chosen in dict(settings.LANGUAGES):
        response.set_cookie(LANGUAGE_CHOSEN_COOKIE, chosen, samesite="Lax", httponly=True)
    return response


def chosen_language(request: HttpRequest) -> str:
    """The language the citizen chose on the kiosk since its last restart, or
    "" when they kept the one the kiosk started in."""
    chosen = request.COOKIES.get(LANGUAGE_CHOSEN_COOKIE, "")
    return chosen if chosen in dict(settings.LANGUAGES) else ""


urlpatterns = [
    path("centros/<slug:slug>/kiosko/", start, name="kiosk"),
    path("centros/<slug:slug>/kiosko/servicios/", services, name="kiosk_services"),
    path("centros/<slug:slug>/kiosko/datos/", details, name="kiosk_details"),
    path("centros/<slug:slug>/kiosko/emitir/", issue, name="kiosk_issue"),
    path("centros/<slug:slug>/kiosko/reiniciar/", restart, name="kiosk_restart"),
    path("centros/<slug:slug>/kiosko/idioma/", switch_language, name="kiosk_language"),
    path("centros/<slug:slug>/kiosko/activar/", activate, name="kiosk_activate"),
]
