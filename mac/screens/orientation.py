"""The orientation desk of a Centro MAC: MAC staff search the catalog with the
citizen's own words, put one or more services on one visit, check in a
citizen who has an appointment (checkin.py), reprint a ticket, and cancel a
waiting ticket or move it to another service (waiting.py).

Who may use it: orientation staff and the coordinator of that center (and
superusers). Anonymous users are sent to sign in; any other user gets 403 and
nothing changes. Pages are server-rendered; htmx swaps the partials
(`_orientation_*.html`) and every form also works as a plain POST.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mac.accounts.models import Role
from mac.catalog.search import search_services
from mac.centers.models import Center
from mac.core.access import tickets_visible_to
from mac.core.calendar import today_lima
from mac.core.params import parse_id
from mac.queueing import actions
from mac.queueing.errors import QueueError
from mac.queueing.models import Source, Ticket
from mac.queueing.queries import estimated_wait, staffed_services
from mac.screens import printing, queries
from mac.screens.forms import CheckinForm, DeskForm, ReprintForm, WaitingLookupForm
from mac.screens.kiosk import minutes, offered_services

MAX_RESULTS = 8
MAX_SERVICES = 6


def _may_orient(user: Any, center: Center) -> bool:
    if not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    return user.role in (Role.ORIENTATION, Role.CENTER_COORDINATOR) and user.center_id == center.pk


def desk_center(request: HttpRequest, slug: str) -> Center:
    """The center whose desk this user may run, or PermissionDenied (403)."""
    center = get_object_or_404(Center, slug=slug)
    if not _may_orient(request.user, center):
        raise PermissionDenied
    return center


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def recent_tickets(center: Center) -> list[Ticket]:
    """The desk's latest tickets of today, newest first ("Emitidos hoy")."""
    return list(
        queries.desk_tickets(center, today_lima())
        .select_related("service", "entity")
        .order_by("-issued_at", "-id")[:10]
    )


def _page(request: HttpRequest, center: Center, /, status: int = 200, **extra: Any) -> HttpResponse:
    # The last event first, then the list: orientation.js applies what
    # happens after it (`recent`), so nothing falls in between.
    last_event = queries.last_event_id(center)
    recent = recent_tickets(center)
    context: dict[str, Any] = {
        "center": center,
        "last_event": last_event,
        "form": DeskForm(initial={"language": "es", "priority_reason": ""}),
        "reprint_form": ReprintForm(),
        "checkin_form": CheckinForm(),
        "waiting_form": WaitingLookupForm(),
        "recent": recent,
        "query": "",
        "results": None,
        "selected": [],
        **extra,
    }
    return render(request, "screens/orientation.html", context, status=status)


def _guard(request: HttpRequest, slug: str) -> Center | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return desk_center(request, slug)


@require_safe
def desk(request: HttpRequest, slug: str) -> HttpResponse:
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    return _page(request, center)


@require_safe
def recent(request: HttpRequest, slug: str) -> HttpResponse:
    """The "Emitidos hoy" list alone: orientation.js reloads it when a live
    event concerns one of its tickets (called, cancelled, moved...) or a
    ticket was issued."""
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    context = {"center": center, "recent": recent_tickets(center), "oob": False}
    return render(request, "screens/_orientation_recent.html", context)


@require_safe
def search(request: HttpRequest, slug: str) -> HttpResponse:
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    query = " ".join(request.GET.get("q", "").split())[:200]
    results = list(search_services(query, center=center.slug, limit=MAX_RESULTS)) if query else []
    # Offered here but on no active counter: its ticket would be refused
    # (`actions.check_staffed`), so staff see it before they add it.
    staffed = staffed_services(center.pk)
    unstaffed = {s.pk for s in results if s.pk not in staffed}
    context = {"center": center, "query": query, "results": results, "unstaffed": unstaffed}
    if _is_htmx(request):
        return render(request, "screens/_orientation_results.html", context)
    return _page(request, center, query=query, results=results, unstaffed=unstaffed)


@require_safe
def pick(request: HttpRequest, slug: str) -> HttpResponse:
    """One chosen service as a row of the visit being prepared (htmx)."""
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    pk = parse_id(request.GET.get("servicio"))
    service = offered_services(center).filter(pk=pk).first() if pk is not None else None
    if service is None:
        return HttpResponse(status=404)
    return render(request, "screens/_orientation_pick.html", {"service": service})


def _issue(center: Center, services: list[Any], form: DeskForm, by: Any) -> list[Ticket]:
    """The visit: the first service opens it (as an appointment check-in when
    a time is given), each further service is added to it. All or nothing."""
    data = form.cleaned_data
    now = timezone.now()
    appointment_at = form.appointment_at(today_lima(now))
    with transaction.atomic():
        first = actions.issue_ticket(
            center,
            services[0],
            by=by,
            source=Source.APPOINTMENT if appointment_at else Source.DESK,
            document_type=data["document_type"],
            document_number=data["document_number"],
            priority_reason=data["priority_reason"],
            language=data["language"],
            appointment_at=appointment_at,
            now=now,
        )
        tickets = [first]
        for service in services[1:]:
            tickets.append(actions.add_service(first.visit, service, by=by, now=now))
    return tickets


@require_POST
def issue(request: HttpRequest, slug: str) -> HttpResponse:
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    ids = [pk for v in request.POST.getlist("servicio") if (pk := parse_id(v)) is not None]
    ids = ids[:MAX_SERVICES]
    by_id = {s.pk: s for s in offered_services(center).filter(pk__in=ids)}
    services = [by_id[pk] for pk in dict.fromkeys(ids) if pk in by_id]
    form = DeskForm(request.POST)
    error = ""
    tickets: list[Ticket] = []
    status = 200
    if not services:
        error = _("Elija al menos un servicio que se ofrezca en este centro.")
        status = 422
    elif form.is_valid():
        try:
            tickets = _issue(center, services, form, request.user)
        except QueueError as err:
            error, status = err.message, err.status
    issued = [_printed(t) for t in tickets]
    context = {"center": center, "form": form, "issued": issued, "error": error}
    context["selected"] = services if not tickets else []
    if _is_htmx(request):
        if tickets:
            context["recent_oob"] = recent_tickets(center)
        return render(request, "screens/_orientation_issue.html", context, status=status)
    return _page(request, center, status=status, **context)


def _printed(ticket: Ticket, *, language: str = "") -> dict[str, Any]:
    wait = estimated_wait(ticket, timezone.now())
    printed = printing.printer_configured(ticket.center) and printing.print_ticket(
        ticket, wait_seconds=wait, language=language
    )
    return {
        "ticket": ticket,
        "wait_minutes": minutes(wait),
        "printed": printed,
        "status_url": printing.status_url(ticket),
    }


def _not_open(ticket: Ticket) -> str:
    if ticket.state == Ticket.State.TRANSFERRED and ticket.transferred_to is not None:
        return _("El ticket %(code)s fue derivado: reimprima el ticket %(new)s.") % {
            "code": ticket.code,
            "new": ticket.transferred_to.code,
        }
    return _(
        "El ticket %(code)s ya no está en espera ni en atención (%(state)s): no se reimprime."
    ) % {
        "code": ticket.code,
        "state": ticket.get_state_display().lower(),
    }


@require_POST
def reprint(request: HttpRequest, slug: str) -> HttpResponse:
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    form = ReprintForm(request.POST)
    result: dict[str, Any] | None = None
    error = ""
    status = 200
    if not form.is_valid():
        error, status = " ".join(str(e) for e in form.errors.get("code", [])), 422
    else:
        ticket = (
            tickets_visible_to(request.user)
            .filter(center=center, day=today_lima(), code=form.cleaned_data["code"])
            .select_related("visit", "center", "service", "entity", "transferred_to")
            .first()
        )
        if ticket is None:
            error, status = _("No hay un ticket de hoy con ese código en este centro."), 404
        elif ticket.state not in Ticket.OPEN_STATES:
            # A finished ticket on paper would send the citizen to wait for a call.
            error, status = _not_open(ticket), 409
        elif not printing.printer_configured(center):
            error, status = _("Este centro no tiene impresora configurada."), 404
        else:
            result = _printed(ticket)
            if not result["printed"]:
                error = _("La impresora no respondió: el ticket sigue registrado.")
    context = {"center": center, "reprint_form": form, "reprinted": result, "reprint_error": error}
    if _is_htmx(request):
        return render(request, "screens/_orientation_reprint.html", context, status=status)
    return _page(request, center, status=status, **context)


urlpatterns = [
    path("centros/<slug:slug>/orientacion/", desk, name="orientation"),
    path("centros/<slug:slug>/orientacion/emitidos/", recent, name="orientation_recent"),
    path("centros/<slug:slug>/orientacion/buscar/", search, name="orientation_search"),
    path("centros/<slug:slug>/orientacion/elegir/", pick, name="orientation_pick"),
    path("centros/<slug:slug>/orientacion/emitir/", issue, name="orientation_issue"),
    path("centros/<slug:slug>/orientacion/reimprimir/", reprint, name="orientation_reprint"),
]
