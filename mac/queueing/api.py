"""Queue API: every queue action under /api/v1/, for the screens and for other
channels. Staff authenticate with their session, other channels' systems
with an API key (`mac.accounts.apikeys`); errors are clear 4xx with
`detail` (Spanish) and `code`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from mac.accounts.apikeys import api_key, key_of, session_auth
from mac.accounts.models import Role
from mac.catalog.models import Service
from mac.core.access import (
    centers_operated_by,
    centers_visible_to,
    role_of,
    tickets_visible_to,
)
from mac.core.schemas import errors
from mac.queueing import actions
from mac.queueing.errors import Forbidden, NotFound
from mac.queueing.models import (
    Attention,
    CancelReason,
    Counter,
    Language,
    PriorityReason,
    Source,
    Ticket,
    Visit,
)
from mac.queueing.queries import estimated_wait, estimated_wait_new

# Staff screens use their session; other channels' systems an API key.
router = Router(tags=["colas"], auth=[api_key, session_auth])

# The refusals each kind of route may answer, all as {detail, code}.
READ = errors(401, 404, 422)
ACT = errors(401, 403, 404, 409, 422)


class TicketOut(Schema):
    id: int
    code: str
    state: str
    visit: int = Field(alias="visit_id")
    center: int = Field(alias="center_id")
    service: int = Field(alias="service_id")
    entity: int = Field(alias="entity_id")
    priority: bool
    language: str
    source: str
    appointment_at: dt.datetime | None
    issued_at: dt.datetime
    wait_from: dt.datetime
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    counter: int | None = Field(None, description="número del módulo que lo llama o atiende")
    recalls: int
    target_wait_seconds: int
    estimated_wait_seconds: int | None = Field(
        None, description="espera estimada restante, si está en espera y algún módulo lo atiende"
    )

    @staticmethod
    def resolve_counter(ticket: Ticket) -> int | None:
        return ticket.counter.number if ticket.counter_id and ticket.counter else None

    @staticmethod
    def resolve_estimated_wait_seconds(ticket: Ticket) -> int | None:
        return estimated_wait(ticket, timezone.now())


class IssueIn(Schema):
    service: int
    document_type: str = ""
    document_number: str = Field("", max_length=20)
    priority_reason: PriorityReason = PriorityReason.NONE
    language: Language = Language.SPANISH
    # The credentials decide the origin (see _source); a client may state it,
    # and is refused if it says another. Transfers and appointment check-ins
    # make their own tickets, with their links.
    source: Literal["kiosk", "desk", "api"] | None = Field(
        None,
        description=(
            "origen del ticket: lo fija la credencial (la clave de un kiosko, kiosk; la de"
            " orientación o la sesión del personal de orientación, desk; otra clave o sesión,"
            " api); si se envía otro, 403"
        ),
    )


class EstimateOut(Schema):
    service: int
    waiting: int = Field(description="tickets en espera de ese servicio")
    estimated_wait_seconds: int | None = Field(
        description="null si ningún módulo abierto atiende ese servicio en esa lengua"
    )


class ServiceIn(Schema):
    service: int


class CancelIn(Schema):
    reason: CancelReason | None = Field(
        None,
        description=(
            "motivo: left (el ciudadano se retiró), duplicate (ticket duplicado), mistake"
            " (emitido por error); se guarda en la historia del ticket y en la auditoría"
        ),
    )


class FinishIn(Schema):
    # The advisor's choices (Attention.ADVISOR_OUTCOMES): "unrecorded" is the system's.
    outcome: Literal["resolved", "pending", "referred"] = "resolved"


class PauseIn(Schema):
    reason: str = Field("", max_length=80)


class AttentionOut(Schema):
    id: int
    ticket: int | None = Field(alias="ticket_id")
    outcome: str
    wait_seconds: int
    service_seconds: int


class CounterOut(Schema):
    id: int
    number: int
    entity: int = Field(alias="entity_id")
    status: str
    current_ticket: int | None = Field(alias="current_ticket_id")


class QueueOut(Schema):
    center: int
    waiting: int
    by_service: dict[str, int]
    counters: list[CounterOut]


def _center(request: HttpRequest, center_id: int, *, operate: bool = False) -> Any:
    """The center, if the user may see it (404 otherwise); with `operate`, if
    they may also issue and cancel its tickets (403 otherwise)."""
    center = centers_visible_to(request.user).filter(pk=center_id).first()
    if center is None:
        raise NotFound(_("No existe ese Centro MAC o no tiene acceso a él."), code="center")
    if operate:
        _check_operates(request, center.pk)
    return center


def _check_operates(request: HttpRequest, center_id: int) -> None:
    if not centers_operated_by(request.user).filter(pk=center_id).exists():
        raise Forbidden(_("Su rol no emite ni anula tickets en este Centro MAC."), code="role")


# Staff whose session stands at the center's orientation desk.
DESK_ROLES = (Role.ORIENTATION, Role.CENTER_COORDINATOR)


def _source(request: HttpRequest, claimed: str | None = None) -> str:
    """Where the caller's tickets come from, decided by its credentials: an API
    key's own source (fixed when the key was made), "desk" for a session of
    orientation staff or a coordinator, "api" for any other session. A client
    that claims another origin (an integration saying its tickets came from
    the kiosk or the desk) is refused: 403, nothing created."""
    key = key_of(request)
    if key is not None:
        source = key.source
    elif role_of(request.user) in DESK_ROLES:
        source = Source.DESK
    else:
        source = Source.API
    if claimed is not None and claimed != source:
        raise Forbidden(
            _("Con estas credenciales el origen de los tickets es «%(source)s», no «%(claimed)s».")
            % {"source": Source(source).label, "claimed": Source(claimed).label},
            code="source",
        )
    return source


def _service(service_id: int) -> Service:
    service = Service.objects.select_related("entity").filter(pk=service_id).first()
    if service is None:
        raise NotFound(_("No existe ese servicio."), code="service")
    return service


def _ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    ticket = (
        tickets_visible_to(request.user)
        .select_related("counter", "center")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        raise NotFound(_("No existe ese ticket o no tiene acceso a él."), code="ticket")
    return ticket


def _counter(request: HttpRequest, counter_id: int) -> Counter:
    counter = (
        Counter.objects.select_related("center", "entity")
        .filter(pk=counter_id, center__in=centers_visible_to(request.user))
        .first()
    )
    if counter is None:
        raise NotFound(_("No existe ese módulo o no tiene acceso a él."), code="counter")
    return counter


def _reload(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_related("counter").get(pk=ticket.pk)


@router.post(
    "/centers/{center_id}/tickets", response={201: TicketOut, **ACT}, summary="Emitir ticket"
)
def issue_ticket(request: HttpRequest, center_id: int, data: IssueIn) -> tuple[int, Ticket]:
    center = _center(request, center_id, operate=True)
    source = _source(request, data.source)
    ticket = actions.issue_ticket(
        center,
        _service(data.service),
        by=request.user,
        source=source,
        document_type=data.document_type,
        document_number=data.document_number,
        priority_reason=data.priority_reason,
        language=data.language,
    )
    return 201, _reload(ticket)


@router.post(
    "/visits/{visit_id}/tickets", response={201: TicketOut, **ACT}, summary="Agregar servicio"
)
def add_service(request: HttpRequest, visit_id: int, data: ServiceIn) -> tuple[int, Ticket]:
    visit = Visit.objects.filter(pk=visit_id, center__in=centers_visible_to(request.user)).first()
    if visit is None:
        raise NotFound(_("No existe esa visita o no tiene acceso a ella."), code="visit")
    _check_operates(request, visit.center_id)
    ticket = actions.add_service(
        visit, _service(data.service), by=request.user, source=_source(request)
    )
    return 201, _reload(ticket)


@router.get("/tickets/{ticket_id}", response={200: TicketOut, **READ}, summary="Ver ticket")
def get_ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    return _ticket(request, ticket_id)


@router.post(
    "/tickets/{ticket_id}/cancel", response={200: TicketOut, **ACT}, summary="Anular ticket"
)
def cancel(request: HttpRequest, ticket_id: int, data: CancelIn | None = None) -> Ticket:
    ticket = _ticket(request, ticket_id)
    _check_operates(request, ticket.center_id)
    reason = data.reason if data is not None and data.reason is not None else ""
    return _reload(actions.cancel(ticket, by=request.user, reason=reason))


@router.post(
    "/tickets/{ticket_id}/service",
    response={200: TicketOut, **ACT},
    summary="Cambiar de trámite un ticket en espera",
    description=(
        "Pasa un ticket en espera a otro servicio del mismo centro, que algún módulo habilitado"
        " atienda en la lengua del ticket. Conserva su código y su lugar: la espera sigue"
        " contando desde que empezó. 409 not_waiting si un módulo ya lo llamó o terminó;"
        " 409 service_unstaffed o language_unavailable si nadie podría llamarlo."
    ),
)
def change_service(request: HttpRequest, ticket_id: int, data: ServiceIn) -> Ticket:
    ticket = _ticket(request, ticket_id)
    _check_operates(request, ticket.center_id)
    moved = actions.change_service(ticket, _service(data.service), by=request.user)
    return _reload(moved)


@router.post(
    "/tickets/{ticket_id}/recall", response={200: TicketOut, **ACT}, summary="Volver a llamar"
)
def recall(request: HttpRequest, ticket_id: int) -> Ticket:
    return _reload(actions.recall(_ticket(request, ticket_id), by=request.user))


@router.post(
    "/tickets/{ticket_id}/no-show", response={200: TicketOut, **ACT}, summary="No se presentó"
)
def no_show(request: HttpRequest, ticket_id: int) -> Ticket:
    return _reload(actions.no_show(_ticket(request, ticket_id), by=request.user))


@router.post(
    "/tickets/{ticket_id}/start", response={200: TicketOut, **ACT}, summary="Iniciar atención"
)
def start(request: HttpRequest, ticket_id: int) -> Ticket:
    return _reload(actions.start(_ticket(request, ticket_id), by=request.user))


@router.post(
    "/tickets/{ticket_id}/finish", response={200: AttentionOut, **ACT}, summary="Finalizar atención"
)
def finish(request: HttpRequest, ticket_id: int, data: FinishIn | None = None) -> Attention:
    from mac.surveys.actions import offer_after_finish

    data = data or FinishIn.model_validate({})  # no body is {}
    with transaction.atomic():
        attention = actions.finish(
            _ticket(request, ticket_id), by=request.user, outcome=data.outcome
        )
        offer_after_finish(attention)
    return attention


@router.post(
    "/tickets/{ticket_id}/transfer",
    response={201: TicketOut, **ACT},
    summary="Derivar a otro servicio",
)
def transfer(request: HttpRequest, ticket_id: int, data: ServiceIn) -> tuple[int, Ticket]:
    new = actions.transfer(_ticket(request, ticket_id), _service(data.service), by=request.user)
    return 201, _reload(new)


@router.post(
    "/counters/{counter_id}/sign-in", response={200: CounterOut, **ACT}, summary="Iniciar sesión"
)
def sign_in(request: HttpRequest, counter_id: int) -> Counter:
    counter = _counter(request, counter_id)
    actions.sign_in(counter, by=request.user)
    return Counter.objects.get(pk=counter.pk)


@router.post(
    "/counters/{counter_id}/sign-out", response={200: CounterOut, **ACT}, summary="Dejar el módulo"
)
def sign_out(request: HttpRequest, counter_id: int) -> Counter:
    counter = _counter(request, counter_id)
    actions.sign_out(counter, by=request.user)
    return Counter.objects.get(pk=counter.pk)


@router.post(
    "/counters/{counter_id}/pause", response={200: CounterOut, **ACT}, summary="Pausar módulo"
)
def pause(request: HttpRequest, counter_id: int, data: PauseIn | None = None) -> Counter:
    data = data or PauseIn.model_validate({})  # no body is {}
    counter = _counter(request, counter_id)
    actions.pause(counter, by=request.user, reason=data.reason)
    return Counter.objects.get(pk=counter.pk)


@router.post(
    "/counters/{counter_id}/resume", response={200: CounterOut, **ACT}, summary="Reanudar módulo"
)
def resume(request: HttpRequest, counter_id: int) -> Counter:
    counter = _counter(request, counter_id)
    actions.resume(counter, by=request.user)
    return Counter.objects.get(pk=counter.pk)


@router.post(
    "/counters/{counter_id}/call-next",
    response={200: TicketOut, 204: None, **ACT},
    summary="Llamar al siguiente",
    description="204 cuando no espera nadie que este módulo pueda atender.",
)
def call_next(request: HttpRequest, counter_id: int) -> tuple[int, Ticket | None]:
    ticket = actions.call_next(_counter(request, counter_id), by=request.user)
    if ticket is None:
        return 204, None
    return 200, _reload(ticket)


@router.get(
    "/centers/{center_id}/estimate",
    response={200: EstimateOut, **READ},
    summary="Espera estimada de un ticket nuevo",
)
def estimate(
    request: HttpRequest,
    center_id: int,
    service: int,
    priority: bool = False,
    language: Language = Language.SPANISH,
) -> dict[str, Any]:
    center = _center(request, center_id)
    chosen = _service(service)
    waiting = Ticket.objects.filter(center=center, service=chosen, state=Ticket.State.WAITING)
    return {
        "service": chosen.pk,
        "waiting": waiting.count(),
        "estimated_wait_seconds": estimated_wait_new(
            center, chosen, timezone.now(), priority=priority, language=language
        ),
    }


@router.get(
    "/centers/{center_id}/queue", response={200: QueueOut, **READ}, summary="Estado de la cola"
)
def queue(request: HttpRequest, center_id: int) -> dict[str, Any]:
    center = _center(request, center_id)
    by_service: dict[str, int] = {}
    waiting = Ticket.objects.filter(center=center, state=Ticket.State.WAITING)
    for code in waiting.values_list("service__code", flat=True):
        by_service[code] = by_service.get(code, 0) + 1
    return {
        "center": center.pk,
        "waiting": sum(by_service.values()),
        "by_service": by_service,
        "counters": list(Counter.objects.filter(center=center, active=True)),
    }
