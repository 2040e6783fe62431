"""The orientation desk's "Anular o cambiar de trámite" panel: staff find a
ticket of today by its code (or from "Emitidos hoy") and, while it waits,
cancel it with a reason, after a confirmation since it cannot be undone
(`actions.cancel`), or move it to another service of the center, keeping its
code and its place (`actions.change_service`).

A refusal (a counter called the ticket meanwhile, it was already cancelled,
nobody could call it in the chosen service) comes back as the panel with
its message, with the ticket as it is now, and nothing changed. Who may use
it: as the rest of the desk (`orientation.desk_center`); a ticket of another
center is not found. htmx swaps `_orientation_waiting.html`; every form also
works as a plain request.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core.access import tickets_visible_to
from mac.core.calendar import today_lima
from mac.core.params import parse_id
from mac.queueing import actions
from mac.queueing.errors import QueueError
from mac.queueing.models import CancelReason, Language, Ticket
from mac.screens import queries
from mac.screens.forms import CancelForm, WaitingLookupForm
from mac.screens.kiosk import minutes
from mac.screens.orientation import _guard, _is_htmx, _page, recent_tickets

TEMPLATE = "screens/_orientation_waiting.html"


def _today_ticket(request: HttpRequest, center: Center, **match: Any) -> Ticket | None:
    """Today's ticket of this center that matches, if the user may see it."""
    return (
        tickets_visible_to(request.user)
        .filter(center=center, day=today_lima(), **match)
        .select_related("service", "entity", "counter")
        .first()
    )


def _posted_ticket(request: HttpRequest, center: Center) -> Ticket | None:
    pk = parse_id(request.POST.get("ticket"))
    return None if pk is None else _today_ticket(request, center, pk=pk)


def _choices(center: Center, ticket: Ticket) -> dict[str, Any]:
    """The services a waiting ticket may move to (`queries.service_choices`)."""
    return queries.service_choices(center, ticket.service_id, ticket.language)


def _not_waiting(ticket: Ticket) -> str:
    if ticket.state in (Ticket.State.CALLED, Ticket.State.SERVING) and ticket.counter:
        return _(
            "El ticket %(code)s ya no está en espera: lo llamó el %(counter)s. No se puede"
            " anular ni cambiar de trámite."
        ) % {"code": ticket.code, "counter": ticket.counter.label}
    return _(
        "El ticket %(code)s ya no está en espera (%(state)s): no se puede anular ni cambiar"
        " de trámite."
    ) % {"code": ticket.code, "state": ticket.get_state_display().lower()}


def _context(center: Center, ticket: Ticket | None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "center": center,
        "waiting": ticket,
        # Done with a ticket (`waiting_notice`): the field is blank for the next.
        "waiting_form": WaitingLookupForm(
            initial={"codigo": ticket.code if ticket and "waiting_notice" not in extra else ""}
        ),
        **extra,
    }
    if ticket is None:
        return context
    if ticket.language in Language.values:
        context["language_label"] = Language(ticket.language).label
    if ticket.state != Ticket.State.WAITING:
        context.setdefault("waiting_error", _not_waiting(ticket))
        return context
    waited = (timezone.now() - ticket.wait_from).total_seconds()
    context["waited_minutes"] = minutes(max(0, int(waited)))
    context["cancel_form"] = context.get("cancel_form") or CancelForm()
    context.update(_choices(center, ticket))
    return context


def _answer(
    request: HttpRequest, center: Center, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    if _is_htmx(request):
        return render(request, TEMPLATE, context, status=status)
    context.pop("recent_oob", None)
    return _page(request, center, status=status, **context)


def _fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("service", "entity", "counter").get(pk=ticket.pk)


@require_safe
def lookup(request: HttpRequest, slug: str) -> HttpResponse:
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    form = WaitingLookupForm(request.GET)
    if not form.is_valid():
        error = " ".join(str(e) for e in form.errors.get("codigo", []))
        return _answer(request, center, _context(center, None, waiting_error=error), 422)
    ticket = _today_ticket(request, center, code=form.cleaned_data["codigo"])
    if ticket is None:
        context = _context(
            center,
            None,
            waiting_form=form,
            waiting_error=_("No hay un ticket de hoy con ese código en este centro."),
        )
        return _answer(request, center, context, 404)
    return _answer(request, center, _context(center, ticket))


def _missing(request: HttpRequest, center: Center) -> HttpResponse:
    error = _("Ese ticket no es de hoy o no es de este centro.")
    return _answer(request, center, _context(center, None, waiting_error=error), 404)


@require_POST
def cancel(request: HttpRequest, slug: str) -> HttpResponse:
    """First the reason, then a confirmation, then `actions.cancel`."""
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    ticket = _posted_ticket(request, center)
    if ticket is None:
        return _missing(request, center)
    form = CancelForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(e) for e in form.errors.get("motivo", []))
        context = _context(center, ticket, cancel_form=form, waiting_error=error)
        return _answer(request, center, context, 422)
    reason = form.cleaned_data["motivo"]
    if ticket.state == Ticket.State.WAITING and not form.cleaned_data["confirmar"]:
        confirm = {"value": reason, "label": CancelReason(reason).label}
        context = _context(center, ticket, cancel_form=form, confirm=confirm)
        return _answer(request, center, context)
    try:
        actions.cancel(ticket, by=request.user, reason=reason)
    except QueueError as err:
        context = _context(center, _fresh(ticket), cancel_form=form, waiting_error=err.message)
        return _answer(request, center, context, err.status)
    notice = _("Se anuló el ticket %(code)s. Motivo: %(reason)s.") % {
        "code": ticket.code,
        "reason": CancelReason(reason).label,
    }
    context = _context(center, None, waiting_notice=notice, recent_oob=recent_tickets(center))
    return _answer(request, center, context)


@require_POST
def change_service(request: HttpRequest, slug: str) -> HttpResponse:
    center = _guard(request, slug)
    if isinstance(center, HttpResponse):
        return center
    ticket = _posted_ticket(request, center)
    if ticket is None:
        return _missing(request, center)
    pk = parse_id(request.POST.get("servicio"))
    service = Service.objects.select_related("entity").filter(pk=pk).first() if pk else None
    if service is None:
        context = _context(center, ticket, waiting_error=_("Elija el nuevo trámite."))
        return _answer(request, center, context, 422)
    try:
        moved = actions.change_service(ticket, service, by=request.user)
    except QueueError as err:
        context = _context(center, _fresh(ticket), waiting_error=err.message)
        return _answer(request, center, context, err.status)
    notice = _(
        "El ticket %(code)s ahora espera para «%(service)s» (%(entity)s). Conserva su código y"
        " su lugar en la fila: el ciudadano no necesita otro ticket."
    ) % {"code": moved.code, "service": service.plain_name, "entity": service.entity.acronym}
    context = _context(
        center, _fresh(moved), waiting_notice=notice, recent_oob=recent_tickets(center)
    )
    return _answer(request, center, context)


urlpatterns = [
    path("centros/<slug:slug>/orientacion/en-espera/", lookup, name="orientation_waiting"),
    path("centros/<slug:slug>/orientacion/anular/", cancel, name="orientation_cancel"),
    path(
        "centros/<slug:slug>/orientacion/cambiar-tramite/",
        change_service,
        name="orientation_change_service",
    ),
]
