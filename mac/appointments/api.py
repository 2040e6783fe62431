"""Appointments API: slots, direct booking, hold and confirm, reschedule,
cancel, check-in and the waitlist; for the centers' coordinators, the
confirmed bookings that check-in would refuse and their cancellation by the
center.

Citizens' clients call it without an account; an operator of Aló MAC,
signed in (session and CSRF token) or through the API key of an operator
account (`mac.accounts.apikeys`), books for a caller with `channel="phone"`
and is recorded. Errors are clear 4xx with `detail` (Spanish) and `code`.

Proof of work. What the booking pages ask a citizen's browser to prove
before it takes a place (`access.needs_proof_of_work`), the API asks an
anonymous client too, or the pages' protection against bots sweeping the
agenda could be bypassed here: holding a place (`holds`, and the one-step
`POST /appointments`) and joining a waitlist need the solution of a challenge
from `GET /appointments/challenge` in the `X-Proof-Of-Work` header. It is
checked before the action, so a refused request writes nothing (no booking,
no audit row, nothing counted against the per-address limit); a valid one is
spent even if the action then refuses, as on the pages. An operator (session
or key) sends none."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from mac.accounts.apikeys import api_key, key_of, session_auth
from mac.accounts.models import ApiKey, Role
from mac.appointments import actions, queries
from mac.appointments.access import OPERATOR_ROLES, needs_proof_of_work
from mac.appointments.conf import conf
from mac.appointments.errors import Forbidden, Invalid
from mac.appointments.models import Booking, BookingChannel, Slot
from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core import access, api_guard, pow
from mac.core.calendar import to_lima
from mac.core.documents import DocumentType
from mac.core.schemas import errors
from mac.queueing.models import Language

router = Router(tags=["citas"])

# Who may check a citizen in at a center (who may act for a caller:
# access.OPERATOR_ROLES, shared with the booking pages).
CHECKIN_ROLES = {Role.ORIENTATION, Role.CENTER_COORDINATOR, Role.NATIONAL_SUPERVISOR}
# Where a check-in may say it happened, by the caller's credentials: an API
# key's own source decides (a kiosk also reads the booking's QR code); a
# session of the center's staff is the orientation desk. The first is the
# default.
CHECKIN_SOURCES = {
    ApiKey.Source.KIOSK: ("kiosk", "qr"),
    ApiKey.Source.DESK: ("orientation",),
    ApiKey.Source.API: ("api",),
}
SESSION_CHECKIN_SOURCES = ("orientation",)


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _operator(request: HttpRequest) -> Any:
    """The operator: the user of the request's API key (a telephony system of
    Aló MAC; a wrong key is a 401), or the signed-in user after the CSRF check
    a session requires; None for an anonymous client."""
    user = api_guard.staff_caller(request)
    if user is None:
        return None
    if user.role not in OPERATOR_ROLES:
        raise Forbidden(_("Su rol no registra citas por otras personas."), code="role")
    return user


CHALLENGE = "/api/v1/appointments/challenge"
PROOF_TEXT = api_guard.describe(
    challenge=CHALLENGE, pages="las páginas de /citas/", exempt="Un operador de Aló MAC"
)


def _proof() -> Any:
    return api_guard.proof_header(CHALLENGE)


def _check_proof(operator: Any, proof: str | None) -> None:
    api_guard.check_proof(
        needs_proof_of_work(operator),
        proof,
        challenge="api:appointment_challenge",
        purpose=pow.Purpose.APPOINTMENTS,
    )


class SlotOut(Schema):
    id: int
    start: dt.datetime = Field(description="inicio, ISO 8601 con la hora de Lima (-05:00)")
    end: dt.datetime
    capacity: int
    available: int

    @staticmethod
    def resolve_start(slot: Slot) -> dt.datetime:
        return to_lima(slot.start)

    @staticmethod
    def resolve_end(slot: Slot) -> dt.datetime:
        return to_lima(slot.end)


class BookingOut(Schema):
    code: str
    status: str
    slot: int = Field(alias="slot_id")
    service: int = Field(alias="service_id")
    center: int = Field(alias="center_id")
    start: dt.datetime
    end: dt.datetime
    channel: str
    language: str = Field(description="idioma de los avisos")
    attention_language: str = Field(description="lengua en la que se atiende en el centro")
    sequence: int
    ticket: str | None = Field(None, description="código del ticket tras registrar la llegada")
    cancelled_by_center: str = Field(
        "",
        description=(
            "si el centro la anuló porque no podía atenderla, por qué (center_closed,"
            " service_not_offered, service_unstaffed, language_unavailable); si no, vacío"
        ),
    )

    @staticmethod
    def resolve_start(booking: Booking) -> dt.datetime:
        return to_lima(booking.slot.start)

    @staticmethod
    def resolve_end(booking: Booking) -> dt.datetime:
        return to_lima(booking.slot.end)

    @staticmethod
    def resolve_ticket(booking: Booking) -> str | None:
        return booking.ticket.code if booking.ticket_id and booking.ticket else None


class HoldOut(Schema):
    token: str = Field(description="clave secreta para confirmar la reserva temporal")
    slot: int = Field(alias="slot_id")
    start: dt.datetime
    hold_until: dt.datetime

    @staticmethod
    def resolve_start(booking: Booking) -> dt.datetime:
        return to_lima(booking.slot.start)

    @staticmethod
    def resolve_hold_until(booking: Booking) -> dt.datetime:
        return to_lima(booking.hold_until)  # type: ignore[arg-type]


class Person(Schema):
    document_type: DocumentType
    document_number: str = Field(max_length=20)


ATTENTION_LANGUAGE = (
    "lengua en la que se atenderá en el centro (el ticket al registrar la llegada); si ningún"
    " módulo habilitado del centro atiende el servicio en ella, 409 language_unavailable (en"
    " castellano, es, se atiende siempre)"
)


class Contact(Person):
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20)
    language: str = Field("es", pattern="^(es|qu)$", description="idioma de los avisos")


class ConfirmIn(Contact):
    attention_language: Language | None = Field(
        None,
        description=ATTENTION_LANGUAGE
        + "; si no se envía, castellano, o en una oferta de la lista de espera la elegida al"
        " inscribirse",
    )


API_CHANNELS = {BookingChannel.API, BookingChannel.PHONE}


class BookIn(Contact):
    attention_language: Language = Field(Language.SPANISH, description=ATTENTION_LANGUAGE)
    slot: int
    service: int
    channel: BookingChannel = Field(
        BookingChannel.API, description='"api"; "phone" for an operator of Aló MAC'
    )


class HoldIn(Schema):
    slot: int
    service: int


class RescheduleIn(Person):
    slot: int


class CheckInIn(Person):
    source: str | None = Field(
        None,
        pattern="^(kiosk|orientation|qr|api)$",
        description=(
            "dónde se registró la llegada: lo fija la credencial (la clave de un kiosko, kiosk"
            " o qr; la de orientación o una sesión del personal, orientation; otra clave, api);"
            " si se envía otro, 403"
        ),
    )
    language: Language | None = Field(
        None,
        description=(
            "lengua en la que se atenderá: si no se envía, la lengua de atención de la reserva"
            " (no la de los avisos); si ningún módulo habilitado del centro atiende el servicio"
            " en ella, 409 language_unavailable (se puede registrar en castellano, es)"
        ),
    )


def _checkin_source(request: HttpRequest, claimed: str | None) -> str:
    """Where this caller checks citizens in (CHECKIN_SOURCES); a claim of
    another place is refused."""
    key = key_of(request)
    allowed = CHECKIN_SOURCES[ApiKey.Source(key.source)] if key else SESSION_CHECKIN_SOURCES
    if claimed is None:
        return allowed[0]
    if claimed not in allowed:
        raise Forbidden(
            _("Con estas credenciales la llegada se registra como «%(source)s», no «%(claimed)s».")
            % {"source": allowed[0], "claimed": claimed},
            code="source",
        )
    return claimed


class WaitlistIn(Contact):
    attention_language: Language = Field(
        Language.SPANISH, description=ATTENTION_LANGUAGE + "; pasa a la cita que se ofrezca"
    )
    center: int
    service: int
    date: dt.date


class WaitlistOut(Schema):
    id: int
    status: str
    date: dt.date


ERRORS = errors(403, 404, 409, 422)
# The refusals of a booking whose check-in the queue would refuse.
NOT_OFFERED = (
    "409 service_not_offered: el centro no ofrece el servicio (su oferta está inactiva, o el"
    " servicio o su entidad ya no están vigentes; no se reservan citas de él en ese centro)."
)
UNSTAFFED = (
    "409 service_unstaffed: ningún módulo habilitado del centro tiene el servicio entre los"
    " suyos (no se reservan citas de él en ese centro)."
)
LANGUAGE_UNAVAILABLE = (
    "409 language_unavailable: ningún módulo habilitado del centro atiende el servicio en la"
    " lengua de atención pedida (attention_language)."
)


def _service(pk: int) -> Service:
    return get_object_or_404(Service.objects.select_related("entity"), pk=pk)


@router.get(
    "/centers/{center_id}/slots",
    response={200: list[SlotOut], **ERRORS},
    summary="Horarios de cita de un servicio en un centro y un día",
    description=f"{NOT_OFFERED} {UNSTAFFED}",
)
def list_slots(request: HttpRequest, center_id: int, service: int, date: dt.date) -> Any:
    center = get_object_or_404(Center, pk=center_id)
    return actions.open_day(center, _service(service), date)


@router.get(
    "/appointments/challenge",
    response={200: api_guard.ChallengeOut},
    url_name="appointment_challenge",
    summary="Desafío de prueba de trabajo para reservar sin credenciales",
    description=(
        "Un desafío nuevo en cada llamada (no se guarda en caché). Su solución va en la"
        " cabecera X-Proof-Of-Work de POST /api/v1/appointments, POST"
        " /api/v1/appointments/holds y POST /api/v1/appointments/waitlist. " + PROOF_TEXT
    ),
)
def challenge(request: HttpRequest, response: HttpResponse) -> Any:
    return api_guard.serve_challenge(
        response,
        purpose=pow.Purpose.APPOINTMENTS,
        max_number=conf("POW_MAX_NUMBER"),
        seconds=conf("POW_SECONDS"),
    )


@router.post(
    "/appointments",
    response={201: BookingOut, **ERRORS},
    summary="Reservar una cita (reserva y confirmación en un paso)",
    description=f"{PROOF_TEXT} {NOT_OFFERED} {UNSTAFFED} {LANGUAGE_UNAVAILABLE}",
)
def book(request: HttpRequest, payload: BookIn, proof: str | None = _proof()) -> Any:
    operator = _operator(request)
    channel = payload.channel
    if operator is None and channel == BookingChannel.PHONE:
        raise Forbidden(_("Solo un operador registra citas por teléfono."), code="operator")
    # "portal" is the portal's pages only (they ask for a proof of work) and
    # "waitlist" the offers of the waitlist: an API client books as "api",
    # an operator of Aló MAC also as "phone".
    if channel not in API_CHANNELS:
        raise Invalid(_("Canal de reserva no permitido."), code="channel")
    service = _service(payload.service)
    _check_proof(operator, proof)
    booking = actions.book(
        payload.slot,
        service,
        document_type=payload.document_type,
        document_number=payload.document_number,
        email=payload.email,
        phone=payload.phone,
        language=payload.language,
        attention_language=payload.attention_language,
        channel=channel,
        client_address=_client_address(request),
        operator=operator,
    )
    return 201, booking


@router.post(
    "/appointments/holds",
    response={201: HoldOut, **ERRORS},
    summary="Reservar temporalmente un cupo mientras se completan los datos",
    description=f"{PROOF_TEXT} {NOT_OFFERED} {UNSTAFFED}",
)
def hold(request: HttpRequest, payload: HoldIn, proof: str | None = _proof()) -> Any:
    operator = _operator(request)
    service = _service(payload.service)
    _check_proof(operator, proof)
    booking = actions.hold(
        payload.slot,
        service,
        channel=BookingChannel.PHONE if operator else BookingChannel.API,
        client_address=_client_address(request),
        operator=operator,
    )
    return 201, booking


@router.post(
    "/appointments/holds/{token}/confirm",
    response={201: BookingOut, **ERRORS},
    summary="Confirmar una reserva temporal con el documento y el contacto",
    description=(
        "Sin prueba de trabajo: la pidió la reserva temporal (ver holds)."
        f" {NOT_OFFERED} {UNSTAFFED} {LANGUAGE_UNAVAILABLE}"
    ),
)
def confirm(request: HttpRequest, token: str, payload: ConfirmIn) -> Any:
    booking = actions.confirm(
        token,
        document_type=payload.document_type,
        document_number=payload.document_number,
        email=payload.email,
        phone=payload.phone,
        language=payload.language,
        attention_language=payload.attention_language,
        operator=_operator(request),
    )
    return 201, booking


@router.post(
    "/appointments/{code}/reschedule",
    response={200: BookingOut, **ERRORS},
    summary="Reprogramar una cita (código y documento)",
    description=(
        "Sin prueba de trabajo, como en /citas/gestionar/: la cita se identifica con su código"
        " y el documento, y quien no es operador la reprograma un número limitado de veces"
        f" (409 limit_reschedules). {NOT_OFFERED} {UNSTAFFED}"
    ),
)
def reschedule(request: HttpRequest, code: str, payload: RescheduleIn) -> Any:
    return actions.reschedule(
        code,
        document_type=payload.document_type,
        document_number=payload.document_number,
        slot_id=payload.slot,
        operator=_operator(request),
    )


@router.post(
    "/appointments/{code}/cancel",
    response={200: BookingOut, **ERRORS},
    summary="Anular una cita (código y documento)",
)
def cancel(request: HttpRequest, code: str, payload: Person) -> Any:
    return actions.cancel(
        code,
        document_type=payload.document_type,
        document_number=payload.document_number,
        operator=_operator(request),
    )


@router.post(
    "/appointments/{code}/lookup",
    response={200: BookingOut, **ERRORS},
    summary="Consultar una cita (código y documento)",
)
def lookup(request: HttpRequest, code: str, payload: Person) -> Any:
    return actions.get_booking(code, payload.document_type, payload.document_number)


@router.post(
    "/appointments/{code}/check-in",
    response={200: BookingOut, **ERRORS},
    auth=[api_key, session_auth],
    summary="Registrar la llegada al centro: la cita pasa a la cola como ticket",
    description=(
        "409 service_not_offered: el centro ya no ofrece el servicio (su oferta, el servicio o"
        " su entidad dejaron de estar vigentes después de reservar). "
        "409 service_unstaffed: ningún módulo habilitado del centro tiene hoy el servicio entre"
        " los suyos, y el ticket esperaría sin que nadie lo llame. 409 language_unavailable:"
        " ninguno lo atiende en la lengua pedida (language) o, si no se envía, en la lengua de"
        " atención de la reserva."
    ),
)
def check_in(request: HttpRequest, code: str, payload: CheckInIn) -> Any:
    user: Any = request.user
    booking = actions.get_booking(code, payload.document_type, payload.document_number)
    allowed = user.role in CHECKIN_ROLES and (
        user.role == Role.NATIONAL_SUPERVISOR or user.center_id == booking.center_id
    )
    if not allowed:
        raise Forbidden(
            _("Solo el personal de este centro registra llegadas."), code="not_this_center"
        )
    return actions.check_in(
        code,
        document_type=payload.document_type,
        document_number=payload.document_number,
        source=_checkin_source(request, payload.source),
        language=payload.language or "",
        by=user,
    )


@router.post(
    "/appointments/waitlist",
    response={201: WaitlistOut, **ERRORS},
    summary="Inscribirse en la lista de espera de un día sin cupos",
    description=(
        "Un operador de Aló MAC que inscribe a quien llama queda registrado; otra credencial"
        " (sesión o clave de API de otro rol) recibe 403 role, como al reservar."
        f" {NOT_OFFERED} {UNSTAFFED} {LANGUAGE_UNAVAILABLE} {PROOF_TEXT}"
    ),
)
def join_waitlist(request: HttpRequest, payload: WaitlistIn, proof: str | None = _proof()) -> Any:
    operator = _operator(request)
    center = get_object_or_404(Center, pk=payload.center)
    service = _service(payload.service)
    _check_proof(operator, proof)
    entry = actions.join_waitlist(
        center,
        service,
        payload.date,
        document_type=payload.document_type,
        document_number=payload.document_number,
        email=payload.email,
        phone=payload.phone,
        language=payload.language,
        attention_language=payload.attention_language,
        operator=operator,
    )
    return 201, entry


# -- Bookings the center cannot attend (staff) -----------------------------------

# Who lists and cancels them: whoever changes the counters and the schedules
# that leave them so (`access.centers_editable_by`: a national supervisor, a
# center's coordinator for that center).
AFFECTED_ROLES = {Role.NATIONAL_SUPERVISOR, Role.CENTER_COORDINATOR}
REASONS = (
    "center_closed (el centro no atiende ese día a la hora de la cita: no está en"
    " funcionamiento, cierra ese día, o la hora queda fuera de su horario),"
    " service_not_offered (el centro no ofrece el servicio), service_unstaffed (ningún"
    " módulo habilitado tiene el servicio), language_unavailable (ninguno lo atiende en la"
    " lengua de atención de la cita)"
)


class AffectedOut(Schema):
    code: str
    status: str
    center: int
    service: int
    start: dt.datetime = Field(description="inicio, ISO 8601 con la hora de Lima (-05:00)")
    end: dt.datetime
    attention_language: str
    reason: str = Field(description="por qué el registro de llegada la rechazaría: " + REASONS)
    detail: str = Field(description="el motivo, en palabras para el personal")

    @staticmethod
    def resolve_code(item: queries.Affected) -> str:
        return item.booking.code

    @staticmethod
    def resolve_status(item: queries.Affected) -> str:
        return item.booking.status

    @staticmethod
    def resolve_center(item: queries.Affected) -> int:
        return item.booking.center_id

    @staticmethod
    def resolve_service(item: queries.Affected) -> int:
        return item.booking.service_id

    @staticmethod
    def resolve_start(item: queries.Affected) -> dt.datetime:
        return to_lima(item.booking.slot.start)

    @staticmethod
    def resolve_end(item: queries.Affected) -> dt.datetime:
        return to_lima(item.booking.slot.end)

    @staticmethod
    def resolve_attention_language(item: queries.Affected) -> str:
        return item.booking.attention_language


def _coordinator(request: HttpRequest) -> Any:
    user: Any = request.user
    if access.role_of(user) not in (access.NATIONAL, Role.CENTER_COORDINATOR):
        raise Forbidden(
            _("Solo la coordinación de un centro o la supervisión nacional ven estas citas."),
            code="role",
        )
    return user


@router.get(
    "/appointments/affected",
    response={200: list[AffectedOut], **errors(401, 403, 422)},
    auth=[api_key, session_auth],
    summary="Citas confirmadas que el centro no podrá atender",
    description=(
        "Las citas confirmadas que aún no empiezan y cuyo registro de llegada se rechazaría"
        " con el centro configurado como está ahora (módulos, horarios, excepciones, días no"
        f" laborables), por orden de inicio, con el motivo: {REASONS}. Para la coordinación"
        " de un centro (las de su centro) y la supervisión nacional (las de todos, o las de"
        " `center`). Otro rol: 403 role; un centro ajeno: 403 not_this_center."
    ),
)
def affected(request: HttpRequest, center: int | None = None) -> Any:
    user = _coordinator(request)
    editable = access.centers_editable_by(user)
    if center is not None and not editable.filter(pk=center).exists():
        raise Forbidden(_("Ese centro no está a su cargo."), code="not_this_center")
    if center is not None:
        centers: list[int] | None = [center]
    elif access.role_of(user) == access.NATIONAL:
        centers = None
    else:
        centers = list(editable.values_list("pk", flat=True))
    return queries.affected_bookings(centers)


@router.post(
    "/appointments/{code}/cancel-by-center",
    response={200: BookingOut, **errors(401, 403, 404, 409, 422)},
    auth=[api_key, session_auth],
    summary="Anular por el centro una cita que no podrá atender, y avisar al ciudadano",
    description=(
        "Para una cita de /appointments/affected: queda anulada, su cupo vuelve al horario,"
        " el motivo queda en la cita (cancelled_by_center) y en la auditoría, y el ciudadano"
        " recibe un aviso en el idioma de sus avisos, con el .ics de anulación y el enlace"
        " para reservar otra. Rechazos, sin cambiar nada: 403 role u not_this_center; 404"
        " booking_not_found; 409 cancelled, checked_in, no_show o past_booking si la cita ya"
        " no está confirmada y por venir (p. ej. el ciudadano la anuló o registró su llegada"
        " mientras tanto), y 409 not_affected si el centro sí puede atenderla."
    ),
)
def cancel_by_center(request: HttpRequest, code: str) -> Any:
    return actions.cancel_by_center(code, by=_coordinator(request))
