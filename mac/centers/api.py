"""Centers API: GET /api/v1/centers, /centers/{id}."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from mac.catalog.models import Entity, Offer, Service
from mac.centers.models import Center, OpeningException
from mac.core.calendar import today_lima
from mac.core.errors import ApiRefusal
from mac.core.schemas import errors

router = Router(tags=["centros"])


class HoursOut(Schema):
    weekday: int = Field(description="0 = lunes ... 6 = domingo")
    opens: dt.time
    closes: dt.time


class ExceptionOut(Schema):
    date: dt.date
    closed: bool
    opens: dt.time | None
    closes: dt.time | None
    reason: str


class CenterOut(Schema):
    id: int
    slug: str
    name: str
    status: str
    region: str = Field(description="departamento")
    ubigeo: str
    district: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    open_now: bool
    services: int
    url: str


class ServiceRef(Schema):
    id: int
    slug: str
    plain_name: str
    entity: str


class CenterDetail(CenterOut):
    reference: str
    phone: str
    email: str
    opened_on: dt.date | None
    hours: list[HoursOut]
    exceptions: list[ExceptionOut]
    offered: list[ServiceRef]
    is_illustrative: bool


def _centers() -> QuerySet[Center]:
    published = Q(
        offers__active=True,
        offers__service__status=Service.Status.PUBLISHED,
        offers__service__entity__status=Entity.Status.ACTIVE,
    )
    upcoming = OpeningException.objects.filter(date__gte=today_lima())
    return (
        Center.objects.select_related("region", "ubigeo")
        .prefetch_related("hours", Prefetch("exceptions", queryset=upcoming))
        .annotate(services=Count("offers", filter=published, distinct=True))
        .order_by("name")
    )


def _center_out(center: Center, now: dt.datetime) -> dict[str, object]:
    return {
        "id": center.id,
        "slug": center.slug,
        "name": center.name,
        "status": center.status,
        "region": center.region.name,
        "ubigeo": center.ubigeo_id,
        "district": center.ubigeo.name,
        "address": center.address,
        "latitude": center.latitude,
        "longitude": center.longitude,
        "open_now": center.is_open_at(now),
        "services": center.services,  # type: ignore[attr-defined]
        "url": center.get_absolute_url(),
    }


@router.get("/centers", response=list[CenterOut], summary="Centros MAC")
def list_centers(request: HttpRequest) -> list[dict[str, object]]:
    now = timezone.now()
    return [_center_out(c, now) for c in _centers()]


@router.get(
    "/centers/{center_id}",
    response={200: CenterDetail, **errors(404, 422)},
    summary="Ficha de un Centro MAC",
    description="404 center si no existe.",
)
def get_center(request: HttpRequest, center_id: int) -> dict[str, object]:
    center = _centers().filter(pk=center_id).first()
    if center is None:
        raise ApiRefusal(404, _("No existe ese Centro MAC."), code="center")
    offers = (
        Offer.objects.filter(
            center=center,
            active=True,
            service__status=Service.Status.PUBLISHED,
            service__entity__status=Entity.Status.ACTIVE,
        )
        .select_related("service__entity")
        .order_by("service__entity__acronym", "service__plain_name")
    )
    data = _center_out(center, timezone.now())
    data.update(
        reference=center.reference,
        phone=center.phone,
        email=center.email,
        opened_on=center.opened_on,
        hours=list(center.hours.all()),
        exceptions=list(center.exceptions.all()),
        offered=[
            {
                "id": o.service.id,
                "slug": o.service.slug,
                "plain_name": o.service.plain_name,
                "entity": o.service.entity.acronym,
            }
            for o in offers
        ],
        is_illustrative=center.is_illustrative,
    )
    return data
