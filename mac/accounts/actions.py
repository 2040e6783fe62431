"""Writes to staff accounts: create or change a user (role and scope), set a
password, delete. Only national supervisors manage accounts, and only
superusers grant or change superuser rights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mac.accounts.models import ROLE_SCOPE, User
from mac.core import access, audit
from mac.core.events import publish_on_commit

# Columns never copied into the audit log.
_SECRET = frozenset({"password", "last_login"})


def scope_errors(role: str, entity_id: int | None, center_id: int | None) -> dict[str, str]:
    """Field -> message for each scope the role needs and lacks (ROLE_SCOPE)."""
    needs_entity, needs_center = ROLE_SCOPE.get(role, (False, False))
    errors: dict[str, str] = {}
    if needs_entity and entity_id is None:
        errors["entity"] = _("Este rol trabaja para una entidad: elija la entidad.")
    if needs_center and center_id is None:
        errors["center"] = _("Este rol trabaja en un Centro MAC: elija el centro.")
    return errors


def _may_manage(by: Any, user: User) -> bool:
    if by is None:
        return True
    if access.role_of(by) != access.NATIONAL:
        return False
    # Superuser accounts (and the superuser flag) are for superusers only.
    return by.is_superuser or not user.is_superuser


def _scope_changed(before: User, after: User) -> bool:
    fields = ("role", "entity_id", "center_id", "is_active")
    return any(getattr(before, f) != getattr(after, f) for f in fields)


@transaction.atomic
def save_user(user: User, *, by: Any, changed_fields: Sequence[str] | None = None) -> User:
    created = user.pk is None
    if not created:
        before = User.objects.select_for_update().get(pk=user.pk)
        if not _may_manage(by, before):
            raise PermissionDenied(_("No tiene permiso para modificar esta cuenta."))
    if not _may_manage(by, user):
        raise PermissionDenied(_("No tiene permiso para modificar esta cuenta."))
    errors = scope_errors(user.role, user.entity_id, user.center_id)
    if errors:
        raise ValidationError(errors)
    columns = {f.name: f.attname for f in User._meta.concrete_fields if not f.primary_key}
    names = list(columns)
    fields = names if changed_fields is None else [n for n in changed_fields if n in names]
    if created or changed_fields is None:
        user.save()
    elif fields:
        user.save(update_fields=fields)
    if not created and _scope_changed(before, user):
        # An advisor moved, given another role or deactivated leaves the
        # counters they were signed in at (a colleague can take them).
        from mac.queueing.actions import release_advisor

        release_advisor(user, by=by)
    audit.record(
        "accounts.user.saved",
        user,
        by=by,
        change="created" if created else "updated",
        fields={n: getattr(user, columns[n]) for n in fields if n not in _SECRET},
    )
    publish_on_commit(
        "accounts.user.changed",
        {"user_id": user.pk, "role": user.role, "change": "created" if created else "updated"},
    )
    return user


@transaction.atomic
def set_password(user: User, raw_password: str, *, by: Any) -> None:
    if not _may_manage(by, user):
        raise PermissionDenied(_("No tiene permiso para modificar esta cuenta."))
    user.set_password(raw_password)
    user.save(update_fields=["password"])
    audit.record("accounts.user.password_set", user, by=by)


@transaction.atomic
def delete_user(user: User, *, by: Any) -> None:
    if not _may_manage(by, user) or (by is not None and by.pk == user.pk):
        raise PermissionDenied(_("No tiene permiso para eliminar esta cuenta."))
    pk = user.pk
    audit.record("accounts.user.deleted", user, by=by, username=user.username, role=user.role)
    user.delete()
    publish_on_commit("accounts.user.changed", {"user_id": pk, "change": "deleted"})
