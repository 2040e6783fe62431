"""Writes to the catalog: entities, services and their parts, offers, and the
reference tables (categories, UIT values, synonyms).

Every function is atomic, checks that `by` may make the change (`by=None`
means the system itself: seeding, imports), validates, saves, writes an audit
row and publishes `catalog.*` events after commit. The back office, the API
and management commands call these; nothing else saves catalog rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mac.catalog.models import (
    UIT,
    Category,
    Entity,
    Offer,
    Requirement,
    Service,
    ServiceChannel,
    Synonym,
)
from mac.centers.models import Center
from mac.core import access, audit
from mac.core.events import publish_on_commit

M = TypeVar("M", bound=models.Model)


# --- helpers ---------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("No tiene permiso para modificar este registro del catálogo."))


def _is_national(by: Any) -> bool:
    return by is None or access.role_of(by) == access.NATIONAL


def _may_edit_service_of(by: Any, entity_id: int | None) -> bool:
    if by is None:
        return True
    if entity_id is None:
        return False
    return access.service_entities_for(by).filter(pk=entity_id).exists()


def _may_edit_service(by: Any, service: Service) -> bool:
    """`by` may edit the service as stored now and as it is about to be saved
    (so that a service can be neither taken from nor moved to another entity)."""
    if by is None:
        return True
    editable = access.services_editable_by(by)
    if service.pk is not None and not editable.filter(pk=service.pk).exists():
        return False
    return _may_edit_service_of(by, service.entity_id)


def _concrete(obj: models.Model, fields: Iterable[str]) -> list[str]:
    """The names in `fields` that are columns of `obj` (forms also report
    many-to-many fields and inline changes)."""
    names = {f.name for f in obj._meta.concrete_fields if not f.primary_key}
    return [name for name in fields if name in names]


def _values(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = getattr(obj, field.attname)  # type: ignore[union-attr]
    return out


def _save(obj: M, changed_fields: Sequence[str] | None, *, touch: Sequence[str] = ()) -> list[str]:
    """Validate and save `obj`; an update writes only the changed columns.
    Returns the columns written (all of them on create)."""
    every = _concrete(obj, [f.name for f in obj._meta.concrete_fields])
    if obj.pk is None or changed_fields is None:
        obj.full_clean()
        obj.save()
        return every
    fields = _concrete(obj, changed_fields)
    # Check what changes: an older row's untouched gaps must not block an edit.
    # Constraints span fields, so they are checked whole.
    obj.full_clean(exclude=[n for n in every if n not in fields], validate_constraints=False)
    obj.validate_constraints()
    if fields:
        obj.save(update_fields=[*fields, *touch])
    return fields


def _changed(
    action: str, obj: models.Model, fields: list[str], *, by: Any, created: bool, **extra: Any
) -> None:
    audit.record(
        action,
        obj,
        by=by,
        change="created" if created else "updated",
        fields=_values(obj, fields),
        **extra,
    )


def _touch(services: models.QuerySet[Service] | Iterable[int]) -> None:
    """Mark services as changed when a row that their page shows (channel,
    offer, category) changes: the page says when the service was last
    updated. (Other workers' search indexes and caches learn of the change
    through the configuration generation that the action's event raises.)"""
    qs = (
        services
        if isinstance(services, models.QuerySet)
        else Service.objects.filter(pk__in=list(services))
    )
    qs.update(updated_at=timezone.now())


def _service_event(service: Service, change: str) -> None:
    publish_on_commit(
        "catalog.service.changed",
        {
            "service_id": service.pk,
            "entity_id": service.entity_id,
            "code": service.code,
            "slug": service.slug,
            "change": change,
        },
    )


# --- entities --------------------------------------------------------------


@transaction.atomic
def save_entity(entity: Entity, *, by: Any, changed_fields: Sequence[str] | None = None) -> Entity:
    _require(_is_national(by))
    created = entity.pk is None
    fields = _save(entity, changed_fields)
    _changed("catalog.entity.saved", entity, fields, by=by, created=created)
    publish_on_commit(
        "catalog.entity.changed",
        {"entity_id": entity.pk, "acronym": entity.acronym, "status": entity.status},
    )
    return entity


@transaction.atomic
def delete_entity(entity: Entity, *, by: Any) -> None:
    _require(_is_national(by))
    pk, acronym = entity.pk, entity.acronym
    audit.record("catalog.entity.deleted", entity, by=by, acronym=acronym)
    entity.delete()
    publish_on_commit(
        "catalog.entity.changed", {"entity_id": pk, "acronym": acronym, "status": "deleted"}
    )


# --- services --------------------------------------------------------------


@transaction.atomic
def save_service(
    service: Service, *, by: Any, changed_fields: Sequence[str] | None = None
) -> Service:
    """Create or update a service. `changed_fields` (e.g. a form's
    `changed_data`) limits an update to those columns; None writes them all."""
    if service.pk is not None:
        # Lock the row: two editors saving at once are applied one after the other.
        Service.objects.select_for_update().filter(pk=service.pk).first()
    _require(_may_edit_service(by, service))
    created = service.pk is None
    fields = _save(service, changed_fields, touch=["updated_at"])
    _changed("catalog.service.saved", service, fields, by=by, created=created)
    _service_event(service, "created" if created else "updated")
    return service


@transaction.atomic
def set_service_categories(service: Service, categories: Iterable[Category], *, by: Any) -> None:
    _require(_may_edit_service(by, service))
    wanted = {c.pk for c in categories}
    current = set(service.categories.values_list("pk", flat=True))
    if wanted == current:
        return
    service.categories.set(wanted)
    Service.objects.filter(pk=service.pk).update(updated_at=timezone.now())
    audit.record(
        "catalog.service.categories",
        service,
        by=by,
        added=sorted(wanted - current),
        removed=sorted(current - wanted),
    )
    _service_event(service, "updated")


@transaction.atomic
def delete_service(service: Service, *, by: Any) -> None:
    _require(_is_national(by))
    snapshot = {"code": service.code, "entity_id": service.entity_id, "slug": service.slug}
    audit.record("catalog.service.deleted", service, by=by, **snapshot)
    pk = service.pk
    service.delete()
    publish_on_commit(
        "catalog.service.changed", {"service_id": pk, **snapshot, "change": "deleted"}
    )


@transaction.atomic
def save_requirements(
    service: Service,
    *,
    by: Any,
    saved: Sequence[Requirement] = (),
    deleted: Sequence[Requirement] = (),
) -> None:
    """Apply one edit of a service's requirement list: deletions, changes and
    additions together, so that orders can be swapped (1 <-> 2) without
    tripping the unique (service, order) constraint on the way."""
    _require(_may_edit_service(by, service))
    for req in [*saved, *deleted]:
        if req.service_id != service.pk:
            raise ValueError("requirement of another service")
    deleted_ids = [r.pk for r in deleted if r.pk is not None]
    Requirement.objects.filter(service=service, pk__in=deleted_ids).delete()
    moving = [r for r in saved if r.pk is not None]
    if moving:
        # Park the moving rows above every order in use before writing the new orders.
        top = max([*Requirement.objects.filter(service=service).values_list("order", flat=True), 0])
        top = max([top, *(r.order for r in saved)])
        for offset, req in enumerate(moving, start=1):
            Requirement.objects.filter(pk=req.pk).update(order=top + offset)
    for req in saved:
        req.full_clean(exclude=["service"], validate_unique=False, validate_constraints=False)
        req.save()
    if saved or deleted_ids:
        audit.record(
            "catalog.service.requirements",
            service,
            by=by,
            saved=[{"id": r.pk, "order": r.order, "text": r.text} for r in saved],
            deleted=deleted_ids,
        )
        _service_event(service, "updated")


@transaction.atomic
def save_service_channel(
    channel: ServiceChannel, *, by: Any, changed_fields: Sequence[str] | None = None
) -> ServiceChannel:
    _require(_may_edit_service(by, channel.service))
    created = channel.pk is None
    fields = _save(channel, changed_fields)
    _changed(
        "catalog.service.channel", channel, fields, by=by, created=created,
        service_id=channel.service_id,
    )  # fmt: skip
    _touch([channel.service_id])
    _service_event(channel.service, "updated")
    return channel


@transaction.atomic
def delete_service_channel(channel: ServiceChannel, *, by: Any) -> None:
    _require(_may_edit_service(by, channel.service))
    audit.record(
        "catalog.service.channel_deleted",
        channel,
        by=by,
        service_id=channel.service_id,
        channel=channel.channel,
    )
    channel.delete()
    _touch([channel.service_id])
    _service_event(channel.service, "updated")


# --- offers ----------------------------------------------------------------


def _offer_event(offer: Offer, change: str) -> None:
    publish_on_commit(
        "catalog.offer.changed",
        {
            "service_id": offer.service_id,
            "center_id": offer.center_id,
            "active": offer.active,
            "change": change,
        },
    )


@transaction.atomic
def save_offer(offer: Offer, *, by: Any, changed_fields: Sequence[str] | None = None) -> Offer:
    _require(_may_edit_service(by, offer.service))
    if offer.pk is not None:
        before = Offer.objects.select_for_update().get(pk=offer.pk)
        _require(before.service_id == offer.service_id)
    created = offer.pk is None
    fields = _save(offer, changed_fields)
    _changed(
        "catalog.offer.saved", offer, fields, by=by, created=created,
        service_id=offer.service_id, center_id=offer.center_id,
    )  # fmt: skip
    if fields:
        _touch([offer.service_id])
    _offer_event(offer, "created" if created else "updated")
    return offer


@transaction.atomic
def set_offer(
    service: Service,
    center: Center,
    *,
    by: Any,
    active: bool = True,
    since: dt.date | None = None,
    notes: str = "",
) -> Offer:
    """Offer `service` at `center` (or update the existing offer)."""
    offer = Offer.objects.select_for_update().filter(service=service, center=center).first()
    if offer is None:
        offer = Offer(service=service, center=center)
    offer.active, offer.since, offer.notes = active, since, notes
    return save_offer(offer, by=by, changed_fields=["active", "since", "notes"])


@transaction.atomic
def remove_offer(offer: Offer, *, by: Any) -> None:
    _require(_may_edit_service(by, offer.service))
    audit.record(
        "catalog.offer.deleted",
        offer,
        by=by,
        service_id=offer.service_id,
        center_id=offer.center_id,
    )
    offer.delete()
    _touch([offer.service_id])
    _offer_event(offer, "deleted")


# --- reference tables (national only) --------------------------------------


@transaction.atomic
def save_reference(
    obj: Category | UIT | Synonym, *, by: Any, changed_fields: Sequence[str] | None = None
) -> Category | UIT | Synonym:
    """Categories, UIT values and synonyms: shared by every entity, so only the
    national level edits them."""
    _require(_is_national(by))
    created = obj.pk is None
    fields = _save(obj, changed_fields)
    if isinstance(obj, Category) and not created and fields:
        # Category names are indexed with their services.
        _touch(obj.services.all())
    label = obj._meta.model_name
    _changed(f"catalog.{label}.saved", obj, fields, by=by, created=created)
    publish_on_commit(f"catalog.{label}.changed", {"id": obj.pk, "change": "saved"})
    return obj


@transaction.atomic
def delete_reference(obj: Category | UIT | Synonym, *, by: Any) -> None:
    _require(_is_national(by))
    label, pk = obj._meta.model_name, obj.pk
    audit.record(f"catalog.{label}.deleted", obj, by=by, text=str(obj))
    if isinstance(obj, Category):
        _touch(list(obj.services.values_list("pk", flat=True)))
    obj.delete()
    publish_on_commit(f"catalog.{label}.changed", {"id": pk, "change": "deleted"})
