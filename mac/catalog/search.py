"""Catalog search (first version: replaced by the ranked, typo-tolerant engine)."""

from __future__ import annotations

from django.db.models import Q

from mac.catalog.models import Service


def search_services(
    query: str,
    *,
    entity: str | None = None,
    center: str | None = None,
    channel: str | None = None,
    limit: int | None = None,
) -> list[Service]:
    """Published services ranked by how well they match `query` (best first).
    `entity` is an acronym or id, `center` a slug or id, `channel` a Channel value.
    An empty query lists everything that passes the filters, by name."""
    qs = Service.objects.published().select_related("entity")
    if entity:
        qs = qs.filter(Q(entity__acronym__iexact=entity) | Q(entity__slug=entity))
    if center:
        qs = qs.filter(offers__center__slug=center, offers__active=True)
    if channel:
        qs = qs.filter(channels__channel=channel)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(plain_name__icontains=query))
    items = list(qs.distinct()[:limit] if limit else qs.distinct())
    return items
