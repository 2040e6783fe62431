"""Writes to core tables. Only declared non-working days are edited by
people (the ubigeo tables come from INEI, the audit log is append-only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from mac.core import access, audit
from mac.core.events import publish_on_commit
from mac.core.models import NonWorkingDay


def _require_national(by: Any) -> None:
    # Declared non-working days move every deadline computed from then on, in
    # the whole country (deadlines already given stay: docs/adr/0008).
    if by is not None and access.role_of(by) != access.NATIONAL:
        raise PermissionDenied(_("Solo el nivel nacional declara días no laborables."))


def _event(day: NonWorkingDay, change: str) -> None:
    publish_on_commit(
        "core.non_working_day.changed", {"date": day.date.isoformat(), "change": change}
    )


@transaction.atomic
def save_non_working_day(
    day: NonWorkingDay, *, by: Any, changed_fields: Sequence[str] | None = None
) -> NonWorkingDay:
    _require_national(by)
    created = day.pk is None
    day.full_clean()
    names = ["date", "name", "legal_basis"]
    if created or changed_fields is None:
        fields = names
    else:
        fields = [n for n in changed_fields if n in names]
    if created or changed_fields is None:
        day.save()
    elif fields:
        day.save(update_fields=fields)
    audit.record(
        "core.non_working_day.saved",
        day,
        by=by,
        change="created" if created else "updated",
        fields={n: getattr(day, n) for n in fields},
    )
    _event(day, "created" if created else "updated")
    return day


@transaction.atomic
def delete_non_working_day(day: NonWorkingDay, *, by: Any) -> None:
    _require_national(by)
    audit.record("core.non_working_day.deleted", day, by=by, date=day.date, name=day.name)
    day.delete()
    _event(day, "deleted")
