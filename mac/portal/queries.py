"""Reads behind the public portal. Each function returns everything its page
shows in a fixed, small number of queries (no N+1)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from mac.catalog.models import Category, Channel, Entity, Offer, Service
from mac.centers.models import Center, OpeningException

PUBLISHED = Q(services__status=Service.Status.PUBLISHED) & Q(
    services__entity__status=Entity.Status.ACTIVE
)


def categories_with_services() -> list[Category]:
    """Categories and life events that group at least one published service,
    each annotated with `service_count`."""
    qs = (
        Category.objects.annotate(service_count=Count("services", filter=PUBLISHED, distinct=True))
        .filter(service_count__gt=0)
        .order_by("kind", "name")
    )
    return list(qs)


def operating_center_count() -> int:
    return Center.objects.operating().count()


def filter_entities() -> list[Entity]:
    """Active entities with at least one published service, for the filter."""
    return list(
        Entity.objects.filter(status=Entity.Status.ACTIVE)
        .annotate(service_count=Count("services", filter=PUBLISHED, distinct=True))
        .filter(service_count__gt=0)
        .order_by("acronym")
    )


def filter_centers() -> list[Center]:
    return list(Center.objects.operating().order_by("name"))


def filter_channels() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in Channel.choices]


def service_ids_in_category(category: Category) -> set[int]:
    return set(category.services.values_list("id", flat=True))


def get_published_service(slug: str) -> Service:
    """A published service with its requirements, channels, categories and the
    active offers at operating centers (as `active_offers`); 404 otherwise."""
    offers = (
        Offer.objects.filter(active=True, center__status=Center.Status.OPERATING)
        .select_related("center__region", "center__ubigeo")
        .order_by("center__region__name", "center__name")
    )
    qs = (
        Service.objects.published()
        .select_related("entity")
        .prefetch_related(
            "requirements",
            "channels",
            "categories",
            Prefetch("offers", queryset=offers, to_attr="active_offers"),
        )
    )
    try:
        return qs.get(slug=slug)
    except Service.DoesNotExist:
        raise Http404 from None


def _exceptions_from(day: dt.date) -> Prefetch:  # type: ignore[type-arg]
    return Prefetch(
        "exceptions", queryset=OpeningException.objects.filter(date__gte=day).order_by("date")
    )


def listed_centers(today: dt.date) -> QuerySet[Center]:
    """Operating and under-implementation centers, by region then name, with
    their weekly hours and the exceptions from `today` on (enough for
    `Center.is_open_at` today)."""
    return (
        Center.objects.filter(
            status__in=[Center.Status.OPERATING, Center.Status.UNDER_IMPLEMENTATION]
        )
        .select_related("region", "ubigeo")
        .prefetch_related("hours", _exceptions_from(today))
        .order_by("region__name", "name")
    )


def get_center(slug: str, today: dt.date) -> Center:
    """A center with its place names, hours, exceptions from `today` on, and
    its active offers of published services (as `active_offers`); 404 when
    unknown."""
    offers = (
        Offer.objects.filter(
            active=True,
            service__status=Service.Status.PUBLISHED,
            service__entity__status=Entity.Status.ACTIVE,
        )
        .select_related("service__entity")
        .order_by("service__entity__acronym", "service__plain_name")
    )
    qs = Center.objects.select_related("region", "ubigeo__province__department").prefetch_related(
        "hours",
        _exceptions_from(today),
        Prefetch("offers", queryset=offers, to_attr="active_offers"),
    )
    try:
        return qs.get(slug=slug)
    except Center.DoesNotExist:
        raise Http404 from None
