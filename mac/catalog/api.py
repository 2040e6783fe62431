"""Catalog API: GET /api/v1/services, /services/{id}, /entities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from mac.catalog.models import UIT, Channel, Entity, Offer, Service
from mac.catalog.search import clean_query, search_services
from mac.centers.models import Center
from mac.core.calendar import today_lima
from mac.core.errors import ApiRefusal
from mac.core.schemas import errors

router = Router(tags=["catálogo"])


class EntityRef(Schema):
    id: int
    acronym: str
    name: str


class EntityOut(EntityRef):
    slug: str
    level: str
    sector: str
    adhesion_date: dt.date | None
    status: str
    website: str
    services: int = Field(description="servicios publicados")
    is_illustrative: bool

    @staticmethod
    def resolve_services(obj: Entity) -> int:
        return obj.service_count  # type: ignore[attr-defined, no-any-return]


class RequirementOut(Schema):
    order: int
    text: str
    notes: str
    form_name: str
    form_url: str


class ChannelOut(Schema):
    channel: Channel
    label: str
    url: str
    notes: str


class CenterRef(Schema):
    id: int
    slug: str
    name: str


class CategoryOut(Schema):
    slug: str
    name: str
    kind: str


class ServiceOut(Schema):
    id: int
    code: str
    slug: str
    name: str
    plain_name: str
    entity: EntityRef
    qualification: str
    silence: str
    fee: Decimal | None = Field(description="derecho de tramitación en soles; null si es gratuito")
    fee_uit_percent: Decimal | None = Field(description="el derecho como % de la UIT del año")
    deadline_days: int | None = Field(description="plazo en días hábiles; null si es inmediato")
    requires_appointment: bool
    channels: list[Channel]
    url: str


class ServiceDetail(ServiceOut):
    description: str
    fee_notes: str
    competent_unit: str
    legal_basis: str
    reconsideration_authority: str
    appeal_authority: str
    requirements: list[RequirementOut]
    channel_details: list[ChannelOut]
    centers: list[CenterRef]
    categories: list[CategoryOut]
    is_illustrative: bool


class ServicePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ServiceOut]


class ServiceFilters(Schema):
    q: str = Field("", description="palabras del ciudadano: 'brevete', 'sacar dni'...")
    entity: str | None = Field(None, description="sigla, slug o id de la entidad")
    center: str | None = Field(None, description="slug o id del Centro MAC")
    channel: Channel | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


def _service_out(service: Service, uit: UIT | None) -> dict[str, object]:
    return {
        "id": service.id,
        "code": service.code,
        "slug": service.slug,
        "name": service.name,
        "plain_name": service.plain_name,
        "entity": service.entity,
        "qualification": service.qualification,
        "silence": service.silence,
        "fee": service.fee,
        "fee_uit_percent": service.fee_uit_percent(uit=uit),
        "deadline_days": service.deadline_days,
        "requires_appointment": service.requires_appointment,
        "channels": [c.channel for c in service.channels.all()],
        "url": service.get_absolute_url(),
    }


def _check_filter(
    value: str | None, model: type[Entity] | type[Center], label: str, *, code: str
) -> None:
    if not value:
        return
    lookup = Q(slug=value)
    if value.isascii() and value.isdigit() and len(value) < 18:
        lookup |= Q(pk=int(value))
    if model is Entity:
        lookup |= Q(acronym__iexact=value)
    if not model.objects.filter(lookup).exists():
        raise ApiRefusal(
            404,
            _("No existe %(what)s «%(value)s».") % {"what": label, "value": value[:60]},
            code=code,
        )


@router.get(
    "/services",
    response={200: ServicePage, **errors(404, 422)},
    summary="Buscar servicios y trámites",
    description=(
        "404 entity o center si no existe la entidad o el centro del filtro; 422 query_too_long"
        " si q pasa del largo admitido, 422 invalid si otro parámetro no es válido."
    ),
)
def list_services(request: HttpRequest, filters: Query[ServiceFilters]) -> dict[str, object]:
    q = filters.q.replace("\x00", "")
    if len(q) > settings.SEARCH_MAX_QUERY:
        raise ApiRefusal(
            422,
            _("La búsqueda admite hasta %(n)s caracteres.") % {"n": settings.SEARCH_MAX_QUERY},
            code="query_too_long",
        )
    entity = (filters.entity or "").replace("\x00", "")[:80] or None
    center = (filters.center or "").replace("\x00", "")[:80] or None
    _check_filter(entity, Entity, _("la entidad"), code="entity")
    _check_filter(center, Center, _("el centro"), code="center")
    results = search_services(clean_query(q), entity=entity, center=center, channel=filters.channel)
    start = (filters.page - 1) * filters.page_size
    ids = results.ids[start : start + filters.page_size]
    services = Service.objects.select_related("entity").prefetch_related("channels").in_bulk(ids)
    uit = UIT.for_year(today_lima().year)
    return {
        "count": len(results),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [_service_out(services[i], uit) for i in ids if i in services],
    }


@router.get(
    "/services/{service_id}",
    response={200: ServiceDetail, **errors(404, 422)},
    summary="Ficha de un servicio",
    description="404 service si no existe o no está publicado.",
)
def get_service(request: HttpRequest, service_id: int) -> dict[str, object]:
    offers = Offer.objects.filter(
        active=True, center__status=Center.Status.OPERATING
    ).select_related("center")
    service = (
        Service.objects.published()
        .select_related("entity")
        .prefetch_related(
            "requirements", "channels", "categories", Prefetch("offers", queryset=offers)
        )
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        raise ApiRefusal(404, _("No existe ese servicio."), code="service")
    data = _service_out(service, UIT.for_year(today_lima().year))
    data.update(
        description=service.description,
        fee_notes=service.fee_notes,
        competent_unit=service.competent_unit,
        legal_basis=service.legal_basis,
        reconsideration_authority=service.reconsideration_authority,
        appeal_authority=service.appeal_authority,
        requirements=list(service.requirements.all()),
        channel_details=[
            {
                "channel": c.channel,
                "label": str(c.get_channel_display()),
                "url": c.url,
                "notes": c.notes,
            }
            for c in service.channels.all()
        ],
        centers=[o.center for o in service.offers.all()],
        categories=list(service.categories.all()),
        is_illustrative=service.is_illustrative,
    )
    return data


@router.get("/entities", response=list[EntityOut], summary="Entidades participantes")
def list_entities(request: HttpRequest) -> list[Entity]:
    # Published as Service.objects.published() means it: a suspended or
    # withdrawn entity's services are not on the portal.
    published = Q(services__status=Service.Status.PUBLISHED, status=Entity.Status.ACTIVE)
    return list(
        Entity.objects.annotate(service_count=Count("services", filter=published)).order_by(
            "acronym"
        )
    )
