"""Complaints book API: file a claim and track it by code and document.

Anonymous clients may call it (the law lets anybody file a claim); a
per-address limit (settings.QUALITY["MAX_PER_ADDRESS_DAY"]) keeps bulk
filing out. Attachments are not taken here: they go with the claim sheet on
the portal or at a center. Errors are clear 4xx with `detail` (Spanish) and
`code`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from mac.core.calendar import to_lima
from mac.core.documents import DocumentType
from mac.core.schemas import errors
from mac.quality import actions
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


@router.post(
    "/complaints",
    response={201: ComplaintOut, **ERRORS},
    summary="Presentar un reclamo en el Libro de Reclamaciones",
)
def file_complaint(request: HttpRequest, payload: ComplaintIn) -> Any:
    sheet = actions.ClaimSheet(**payload.dict())
    complaint = actions.file_complaint(
        sheet, client_address=request.META.get("REMOTE_ADDR") or None
    )
    return 201, complaint


@router.post(
    "/complaints/{code}/lookup",
    response={200: TrackOut, **ERRORS},
    summary="Consultar un reclamo (código y documento)",
)
def lookup(request: HttpRequest, code: str, payload: LookupIn) -> Any:
    return actions.get_complaint(
        code,
        payload.document_type,
        payload.document_number,
        client_address=request.META.get("REMOTE_ADDR") or None,
    )
