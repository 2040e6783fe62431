"""Writes to centers: the center itself, its weekly opening hours and its
exceptions (closed days, special hours).

Atomic, scope-checked (`by=None` is the system itself), validated, audited,
with `centers.*` events after commit. National supervisors create, change and
delete centers; a center coordinator changes the contact data, hours and
exceptions of their own center.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from mac.centers.models import Center, OpeningException, OpeningHours
from mac.core import access, audit
from mac.core.events import publish_on_commit

# What a center coordinator may change on their own center's record; the rest
# (name, place, status) is decided nationally.
COORDINATOR_FIELDS = frozenset({"reference", "phone", "email"})


def _is_national(by: Any) -> bool:
    return by is None or access.role_of(by) == access.NATIONAL


def _may_edit(by: Any, center_id: int | None) -> bool:
    if by is None:
        return True
    if center_id is None:
        return False
    return access.centers_editable_by(by).filter(pk=center_id).exists()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("No tiene permiso para modificar este Centro MAC."))


def _columns(obj: models.Model, fields: Iterable[str] | None) -> list[str]:
    names = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
    return names if fields is None else [n for n in fields if n in names]


def _values(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}  # type: ignore[union-attr]


def _save(obj: models.Model, changed_fields: Sequence[str] | None) -> list[str]:
    """Validate and save; an update validates and writes only the changed
    columns, so that older rows (e.g. centers without coordinates) stay editable."""
    if obj.pk is None or changed_fields is None:
        obj.full_clean()
        obj.save()
        return _columns(obj, None)
    fields = _columns(obj, changed_fields)
    obj.full_clean(
        exclude=[n for n in _columns(obj, None) if n not in fields], validate_constraints=False
    )
    obj.validate_constraints()
    if fields:
        obj.save(update_fields=fields)
    return fields


def _event(center_id: int, change: str) -> None:
    publish_on_commit("centers.center.changed", {"center_id": center_id, "change": change})


@transaction.atomic
def save_center(center: Center, *, by: Any, changed_fields: Sequence[str] | None = None) -> Center:
    created = center.pk is None
    if created:
        _require(_is_national(by))
    else:
        Center.objects.select_for_update().filter(pk=center.pk).first()
        _require(_may_edit(by, center.pk))
        if not _is_national(by):
            _require(changed_fields is not None and set(changed_fields) <= COORDINATOR_FIELDS)
    fields = _save(center, changed_fields)
    audit.record(
        "centers.center.saved",
        center,
        by=by,
        change="created" if created else "updated",
        fields=_values(center, fields),
    )
    _event(center.pk, "created" if created else "updated")
    return center


@transaction.atomic
def delete_center(center: Center, *, by: Any) -> None:
    _require(_is_national(by))
    pk = center.pk
    audit.record("centers.center.deleted", center, by=by, name=center.name, slug=center.slug)
    center.delete()
    _event(pk, "deleted")


@transaction.atomic
def save_schedule_row(
    row: OpeningHours | OpeningException,
    *,
    by: Any,
    changed_fields: Sequence[str] | None = None,
) -> OpeningHours | OpeningException:
    """Save one weekly period or one exception of a center."""
    _require(_may_edit(by, row.center_id))
    if row.pk is not None:
        before = type(row).objects.select_for_update().get(pk=row.pk)
        _require(before.center_id == row.center_id)
    created = row.pk is None
    fields = _save(row, changed_fields)
    audit.record(
        f"centers.{row._meta.model_name}.saved",
        row,
        by=by,
        change="created" if created else "updated",
        center_id=row.center_id,
        fields=_values(row, fields),
    )
    _event(row.center_id, "schedule")
    return row


@transaction.atomic
def delete_schedule_row(row: OpeningHours | OpeningException, *, by: Any) -> None:
    _require(_may_edit(by, row.center_id))
    audit.record(
        f"centers.{row._meta.model_name}.deleted",
        row,
        by=by,
        center_id=row.center_id,
        text=str(row),
    )
    row.delete()
    _event(row.center_id, "schedule")
