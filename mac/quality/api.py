"""Complaints book API: file a claim and track it by code and document.

Anonymous clients may call it (the law lets anybody file a claim); a
per-address limit (settings.QUALITY["MAX_PER_ADDRESS_DAY"]) keeps bulk
filing out. Attachments are not taken here: they go with the claim sheet on
the portal or at a center. Errors are clear 4xx with `detail` (Spanish) and
`code`.

Proof of work. What the claim sheet asks a citizen's browser to prove before
it files (`access.needs_proof_of_work`), the API asks an anonymous client
too, or the sheet's protection against bots flooding the book could be
bypassed here: `POST /complaints` needs the solution of a challenge from
`GET /complaints/challenge` in the `X-Proof-Of-Work` header
(mac.core.api_guard, shared with the appointments API). It is checked before
the action, so a refused request writes nothing (no claim, no code number
taken, nothing counted against the per-address limit); a valid one is spent
even if the action then refuses. Staff who file for citizens
(`access.files_for_citizens`), with their session (and CSRF token) or API
key, send none and file as on the staff sheet: recorded as who filed, at
their place. Other credentials are refused (403 role_cannot_file). Looking a
claim up asks no proof, as on the tracking page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from mac.core import api_guard, pow
from mac.core.calendar import to_lima
from mac.core.documents import DocumentType
from mac.core.schemas import errors
from mac.quality import actions
from mac.quality.access import files_for_citizens, needs_proof_of_work
from mac.quality.conf import conf
from mac.quality.errors import Forbidden
from mac.quality.models import Channel, Complaint

router = Router(tags=["reclamaciones"])


class ComplaintIn(Schema):
    entity: int = Field(description="id de la entidad (GET /api/v1/entities)")
    channel: Channel = Field(description="dónde fue la atención")
    center: int | None = Field(None, description="id del Centro MAC, si channel es center")
    category: Complaint.Category
    full_name: str = Field(max_length=200)
    document_type: DocumentType
    document_number: str = Field(max_length=20)
    address: str = Field(max_length=250)
    district: str = Field(pattern=r"^[0-9]{6}$", description="ubigeo INEI del domicilio")
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=20)
    is_minor: bool = False
    representative_name: str = Field("", max_length=200)
    representative_document_type: str = Field("", max_length=10)
    representative_document_number: str = Field("", max_length=20)
    facts: str = Field(max_length=actions.MAX_FACTS, description="descripción de los hechos")
    unit_involved: str = Field("", max_length=actions.MAX_UNIT)
    request: str = Field(max_length=actions.MAX_REQUEST, description="pedido")
    consent_email: bool = Field(description="acepta que la respuesta llegue por correo")
    language: str = Field("es", pattern="^(es|qu)$")


class ComplaintOut(Schema):
    code: str
    entity: str
    status: str
    filed_at: dt.datetime = Field(description="ISO 8601 con la hora de Lima (-05:00)")
    due_date: dt.date = Field(description="fecha límite de respuesta (30 días hábiles)")

    @staticmethod
    def resolve_entity(complaint: Complaint) -> str:
        return complaint.entity.acronym

    @staticmethod
    def resolve_filed_at(complaint: Complaint) -> dt.datetime:
        return to_lima(complaint.filed_at)


class TrackOut(ComplaintOut):
    status_label: str
    answered_at: dt.datetime | None
    answer: str = Field(description="la respuesta, una vez dada")

    @staticmethod
    def resolve_status_label(complaint: Complaint) -> str:
        return str(complaint.get_status_display())

    @staticmethod
    def resolve_answered_at(complaint: Complaint) -> dt.datetime | None:
        return to_lima(complaint.answered_at) if complaint.answered_at else None


class LookupIn(Schema):
    document_type: DocumentType
    document_number: str = Field(max_length=20)


ERRORS = errors(403, 404, 409, 422, 429)
CHALLENGE = "/api/v1/complaints/challenge"
PROOF_TEXT = api_guard.describe(
    challenge=CHALLENGE,
    pages="las páginas del Libro de Reclamaciones (/reclamaciones/)",
    exempt="El personal que registra reclamos por los ciudadanos",
)


def _assistant(request: HttpRequest) -> Any:
    """The staff member filing for a citizen (API key, or session with its
    CSRF token); None for an anonymous client. Credentials of a role that
    does not file for citizens are refused."""
    user = api_guard.staff_caller(request)
    if user is not None and not files_for_citizens(user):
        raise Forbidden(
            _("Su rol no registra reclamos por los ciudadanos."), code="role_cannot_file"
        )
    return user


@router.get(
    "/complaints/challenge",
    response={200: api_guard.ChallengeOut},
    url_name="complaint_challenge",
    summary="Desafío de prueba de trabajo para presentar un reclamo sin credenciales",
    description=(
        "Un desafío nuevo en cada llamada (no se guarda en caché). Su solución va en la"
        " cabecera X-Proof-Of-Work de POST /api/v1/complaints. " + PROOF_TEXT
    ),
)
def challenge(request: HttpRequest, response: HttpResponse) -> Any:
    return api_guard.serve_challenge(
        response,
        purpose=pow.Purpose.COMPLAINTS,
        max_number=conf("POW_MAX_NUMBER"),
        seconds=conf("POW_SECONDS"),
    )


@router.post(
    "/complaints",
    response={201: ComplaintOut, **ERRORS},
    summary="Presentar un reclamo en el Libro de Reclamaciones",
    description=(
        PROOF_TEXT + " Quien registra por un ciudadano queda registrado, y el lugar de la"
        " atención es el de su rol, como en la hoja del personal (su centro para el personal"
        " de un Centro MAC, el teléfono para Aló MAC). Otra credencial (sesión o clave de API"
        " de un rol que no registra reclamos) recibe 403 role_cannot_file."
    ),
)
def file_complaint(
    request: HttpRequest,
    payload: ComplaintIn,
    proof: str | None = api_guard.proof_header(CHALLENGE),
) -> Any:
    assistant = _assistant(request)
    api_guard.check_proof(
        needs_proof_of_work(assistant),
        proof,
        challenge="api:complaint_challenge",
        purpose=pow.Purpose.COMPLAINTS,
    )
    sheet = actions.ClaimSheet(**payload.dict())
    # A claim filed by staff keeps no address, as on the staff sheet: it must
    # not count against the limit of the citizens behind the same address.
    address = None if assistant else request.META.get("REMOTE_ADDR") or None
    complaint = actions.file_complaint(sheet, by=assistant, client_address=address)
    return 201, complaint


@router.post(
    "/complaints/{code}/lookup",
    response={200: TrackOut, **ERRORS},
    summary="Consultar un reclamo (código y documento)",
    description=(
        "Sin prueba de trabajo, como en /reclamaciones/seguimiento/: el reclamo se identifica"
        " con su código y el documento, y una dirección que falla demasiadas veces en una hora"
        " recibe 429."
    ),
)
def lookup(request: HttpRequest, code: str, payload: LookupIn) -> Any:
    return actions.get_complaint(
        code,
        payload.document_type,
        payload.document_number,
        client_address=request.META.get("REMOTE_ADDR") or None,
    )
