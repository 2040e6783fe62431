"""The advisor desk (/centros/<slug>/modulo/): sign in to a counter, then call,
recall, mark no-show, start, finish, transfer, add another procedure to the
citizen's visit and pause, by mouse or by keyboard.

Views only call queueing.actions and render; an action's QueueError is shown
on the desk with its HTTP status, and nothing changes. htmx posts get the desk
panel back; plain posts (no JavaScript) are redirected to the desk page."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mac.accounts.models import Role
from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core.access import role_of
from mac.core.language import with_spanish
from mac.core.params import parse_id
from mac.quality.models import PersonalDataAccess
from mac.queueing import actions
from mac.queueing.errors import Conflict, Invalid, QueueError
from mac.queueing.models import Attention, Counter, Language, Ticket, Visit
from mac.screens import queries
from mac.surveys import actions as surveys

logger = logging.getLogger(__name__)

# Shortcut keys, shown on screen next to each action.
KEYS = {
    "call": "L",
    "recall": "R",
    "no_show": "N",
    "start": "I",
    "resolved": "1",
    "pending": "2",
    "referred": "3",
    "transfer": "D",
    "add": "A",
    "pause": "P",
    "resume": "P",
    "sign_out": "S",
}


def advisor_center(request: HttpRequest, slug: str) -> Center:
    """The center, for an advisor of that center; 403 for anyone else."""
    center = get_object_or_404(Center, slug=slug)
    user: Any = request.user
    if role_of(user) != Role.ADVISOR or user.center_id != center.pk:
        raise PermissionDenied(_("Esta pantalla es para los asesores de este Centro MAC."))
    return center


def _context(request: HttpRequest, center: Center, **extra: Any) -> dict[str, Any]:
    counter = queries.advisor_counter(center, request.user)
    context: dict[str, Any] = {"center": center, "counter": counter, "keys": KEYS, **extra}
    if counter is None:
        context["counters"] = queries.counters_for_advisor(center, request.user)
        return context
    ticket = queries.current_ticket(counter)
    if ticket is not None and ticket.visit.document_number:
        _log_document_shown(request.user, ticket)
    paused = counter.status == Counter.Status.PAUSED
    # A service no active counter serves, or none in the citizen's language,
    # stays listed, disabled and marked (as at the orientation desk): its
    # ticket would be refused, and the advisor sees why it cannot be chosen.
    choices = queries.service_choices(
        center,
        ticket.service_id if ticket else None,
        ticket.language if ticket else Language.SPANISH,
    )
    context.update(
        ticket=ticket,
        paused=paused,
        idle=ticket is None,
        can_call=ticket is None and not paused,
        requirements=queries.requirements(ticket.service) if ticket else [],
        waiting=queries.waiting_by_service(counter),
        **choices,
        outcomes=[(o.value, o.label, KEYS[o.value]) for o in Attention.ADVISOR_OUTCOMES],
        last_event=queries.last_event_id(center),
    )
    return context


def _log_document_shown(user: Any, ticket: Ticket) -> None:
    """The desk shows the document the citizen gave at the kiosk or the desk
    (so that the advisor has it ready): personal data, so each time it is
    shown, who saw it and when is logged (Ley 29733), in the platform's log
    of personal data access."""
    PersonalDataAccess.objects.create(
        at=timezone.now(),
        user=user,
        username=user.get_username(),
        purpose=PersonalDataAccess.Purpose.DETAIL,
        object_type=Visit._meta.label_lower,
        object_id=str(ticket.visit_id),
        label=ticket.code,
    )


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _render(request: HttpRequest, center: Center, status: int = 200, **extra: Any) -> HttpResponse:
    template = "screens/advisor_panel.html" if _is_htmx(request) else "screens/advisor.html"
    return render(request, template, _context(request, center, **extra), status=status)


@require_safe
@login_required
def desk(request: HttpRequest, slug: str) -> HttpResponse:
    center = advisor_center(request, slug)
    return _render(request, center)


@require_safe
@login_required
def waiting(request: HttpRequest, slug: str) -> HttpResponse:
    """The waiting counts alone, refreshed when live events arrive."""
    center = advisor_center(request, slug)
    counter = queries.advisor_counter(center, request.user)
    rows = queries.waiting_by_service(counter) if counter else []
    return render(request, "screens/advisor_waiting.html", {"waiting": rows})


def _my_counter(center: Center, user: Any) -> Counter:
    counter = queries.advisor_counter(center, user)
    if counter is None:
        raise Conflict(_("No tiene una sesión abierta en un módulo."), code="not_signed_in")
    return counter


def _my_ticket(request: HttpRequest, counter: Counter) -> Ticket:
    """The counter's current ticket, which must be the one the screen showed
    (a stale screen must not act on another citizen's ticket)."""
    ticket = queries.current_ticket(counter)
    if ticket is None:
        raise Conflict(_("No hay un ticket en curso en su módulo."), code="no_ticket")
    shown = request.POST.get("ticket", "")
    if shown and shown != str(ticket.pk):
        raise Conflict(
            _("La pantalla estaba desactualizada: revise el ticket en curso."), code="stale"
        )
    return ticket


def _sign_in(request: HttpRequest, center: Center) -> str:
    pk = parse_id(request.POST.get("counter"))
    counter = Counter.objects.filter(center=center, pk=pk).first() if pk is not None else None
    if counter is None:
        raise Invalid(_("Elija uno de los módulos de la lista."), code="counter")
    actions.sign_in(counter, by=request.user)
    return _("Sesión iniciada en el %(counter)s.") % {"counter": counter.label}


def _call(request: HttpRequest, center: Center) -> str:
    counter = _my_counter(center, request.user)
    ticket = actions.call_next(counter, by=request.user)
    if ticket is None:
        return _nobody_to_call(counter)
    return _("Llamando al ticket %(code)s.") % {"code": ticket.code}


def _nobody_to_call(counter: Counter) -> str:
    """Why nobody was called, when the desk lists people waiting for the
    counter's services: "nobody waits" would contradict it."""
    why = queries.nobody_to_call(counter)
    if why is None or not (why.free_counters or why.languages):
        return _("No hay nadie en espera para los servicios de su módulo.")
    if why.free_counters:
        if len(why.free_counters) == 1:
            return _(
                "Quienes esperan para sus servicios quedan por ahora para el %(counter)s, que "
                "está libre. Vuelva a llamar en un momento."
            ) % {"counter": why.free_counters[0]}
        return _(
            "Quienes esperan para sus servicios quedan por ahora para otros módulos libres "
            "(%(counters)s). Vuelva a llamar en un momento."
        ) % {"counters": ", ".join(why.free_counters)}
    return _(
        "Quienes esperan para sus servicios necesitan una lengua que su módulo no atiende: "
        "%(languages)s."
    ) % {"languages": ", ".join(why.languages)}


def _recall(request: HttpRequest, center: Center) -> str:
    ticket = _my_ticket(request, _my_counter(center, request.user))
    ticket = actions.recall(ticket, by=request.user)
    return _("Ticket %(code)s llamado otra vez (%(n)s).") % {
        "code": ticket.code,
        "n": ticket.recalls,
    }


def _no_show(request: HttpRequest, center: Center) -> str:
    ticket = _my_ticket(request, _my_counter(center, request.user))
    actions.no_show(ticket, by=request.user)
    return _("Ticket %(code)s marcado como no presentado.") % {"code": ticket.code}


def _start(request: HttpRequest, center: Center) -> str:
    ticket = _my_ticket(request, _my_counter(center, request.user))
    actions.start(ticket, by=request.user)
    return _("Atención del ticket %(code)s iniciada.") % {"code": ticket.code}


def _finish(request: HttpRequest, center: Center) -> str:
    ticket = _my_ticket(request, _my_counter(center, request.user))
    outcome = request.POST.get("outcome", "")
    with transaction.atomic():
        attention = actions.finish(ticket, by=request.user, outcome=outcome)
        # In the same transaction, so the status page that reloads on
        # "ticket.done" already finds the survey's link.
        surveys.offer_after_finish(attention)
    label = Attention.Outcome(outcome).label
    return _("Ticket %(code)s finalizado: %(outcome)s.") % {"code": ticket.code, "outcome": label}


def _transfer(request: HttpRequest, center: Center) -> str:
    ticket = _my_ticket(request, _my_counter(center, request.user))
    pk = parse_id(request.POST.get("service"))
    service = (
        Service.objects.select_related("entity").filter(pk=pk).first() if pk is not None else None
    )
    if service is None:
        raise Invalid(_("Elija el servicio al que deriva."), code="service")
    new = actions.transfer(ticket, service, by=request.user)
    return _("Ticket %(code)s derivado: nuevo ticket %(new)s para %(service)s.") % {
        "code": ticket.code,
        "new": new.code,
        "service": service.plain_name,
    }


def _add_service(request: HttpRequest, center: Center) -> str:
    """Another procedure for the citizen at the counter: a new ticket of the
    visit, which waits its turn; the advisor tells the citizen its code."""
    ticket = _my_ticket(request, _my_counter(center, request.user))
    pk = parse_id(request.POST.get("service"))
    service = (
        Service.objects.select_related("entity").filter(pk=pk).first() if pk is not None else None
    )
    if service is None:
        raise Invalid(_("Elija el trámite que añade a la visita."), code="service")
    new = actions.add_service_at_counter(ticket, service, by=request.user)
    return with_spanish(
        _(
            "Trámite añadido: ticket %(new)s para «%(service)s», en espera. Dé el código al"
            " ciudadano; esta atención sigue."
        ),
        {"service": service.plain_name},
        new=new.code,
    )


def _pause(request: HttpRequest, center: Center) -> str:
    actions.pause(_my_counter(center, request.user), by=request.user)
    return _("Módulo en pausa.")


def _resume(request: HttpRequest, center: Center) -> str:
    actions.resume(_my_counter(center, request.user), by=request.user)
    return _("Módulo atendiendo otra vez.")


def _sign_out(request: HttpRequest, center: Center) -> str:
    """The desk's "Dejar el módulo": the advisor leaves the counter (ends the
    advisor session there) and stays signed in to the account; "Salir de la
    cuenta" (the header's button, `accounts.views.sign_out`) leaves both."""
    counter = _my_counter(center, request.user)
    actions.sign_out(counter, by=request.user)
    return _("Dejó el %(counter)s.") % {"counter": counter.label}


COMMANDS: dict[str, Callable[[HttpRequest, Center], str]] = {
    "ingresar": _sign_in,
    "llamar": _call,
    "rellamar": _recall,
    "no-se-presento": _no_show,
    "iniciar": _start,
    "finalizar": _finish,
    "derivar": _transfer,
    "anadir-tramite": _add_service,
    "pausar": _pause,
    "reanudar": _resume,
    "salir": _sign_out,
}


@require_POST
@login_required
def command(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    center = advisor_center(request, slug)
    handler = COMMANDS.get(name)
    if handler is None:
        return HttpResponse(status=404)
    try:
        done = handler(request, center)
    except QueueError as error:
        return _render(request, center, status=error.status, error=error.message)
    if not _is_htmx(request):
        messages.info(request, done)
        return HttpResponseRedirect(reverse("screens:advisor", args=[center.slug]))
    return _render(request, center, done=done)


urlpatterns = [
    path("centros/<slug:slug>/modulo/", desk, name="advisor"),
    path("centros/<slug:slug>/modulo/espera/", waiting, name="advisor-waiting"),
    path("centros/<slug:slug>/modulo/<slug:name>/", command, name="advisor-command"),
]
