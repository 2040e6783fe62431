"""The back office (Django admin), scoped by role.

Permissions come from the user's role (`mac.core.access.role_of`) and scope
(entity, center), never from Django's permission tables, so seeded users need
no permission rows. Which rows a user sees comes from the access helpers in
`mac.core.access`; every write goes through the app's `actions.py`.

Who may do what in the back office (superusers count as national supervisors;
everyone needs `is_staff` to log in at all):

- National supervisor: everything. Services, entities, categories, UIT
  values, synonyms, centers (with hours and exceptions), declared non-working
  days and users: view, add, change, delete. Audit log and ubigeo: view only.
  Superuser accounts and the superuser flag: superusers only.
- Catalog editor of entity X: X's services with their requirements, channels
  and offers: view, add, change (the entity field offers only X, so a service
  can be neither created for nor moved to another entity; no delete: set the
  status to withdrawn). Entity X, categories, UIT values, synonyms: view.
- Entity supervisor of entity X: X's services and entity X: view only;
  categories, UIT values, synonyms: view.
- Center coordinator of center C: C: view; change its contact data
  (reference, phone, email), its opening hours and its exceptions. Declared
  non-working days: view.
- Advisors, orientation staff and Aló MAC operators: nothing.

Advisors, orientation staff and Aló MAC operators work in their own screens
and have no back-office access, even if marked as staff; so has nobody
without a role. Nobody adds, changes
or deletes audit rows or ubigeo rows here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from mac.accounts.models import Role
from mac.core import access
from mac.core import actions as core_actions
from mac.core.models import AuditLog, Department, District, NonWorkingDay, Province

NATIONAL = frozenset({access.NATIONAL})
# Links typed without a scheme are public sites: https, not Django 5's http.
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}
CATALOG_READERS = frozenset({access.NATIONAL, Role.CATALOG_EDITOR, Role.ENTITY_SUPERVISOR})


def role(request: HttpRequest) -> str | None:
    return access.role_of(request.user)


class RoleAdmin(admin.ModelAdmin):
    """Permissions by role. Subclasses narrow them per object and route writes
    through actions by implementing `save_with_action` / `delete_with_action`."""

    formfield_overrides = URL_FIELDS
    view_roles: frozenset[str] = NATIONAL
    add_roles: frozenset[str] = NATIONAL
    change_roles: frozenset[str] = NATIONAL
    delete_roles: frozenset[str] = NATIONAL

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role(request) in self.view_roles or self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return role(request) in self.add_roles

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role(request) in self.change_roles

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role(request) in self.delete_roles

    # Writes: the admin never saves a row itself.
    def save_with_action(
        self, request: HttpRequest, obj: Any, changed_fields: list[str] | None
    ) -> None:
        raise NotImplementedError

    def delete_with_action(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        self.save_with_action(request, obj, list(form.changed_data) if change else None)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_with_action(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # The "delete selected" bulk action, one action call (and audit row) per row.
        for obj in queryset:
            self.delete_with_action(request, obj)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        raise NotImplementedError(f"no action saves {formset.model} rows")


class ReadOnlyAdmin(RoleAdmin):
    """Rows nobody edits by hand here."""

    add_roles = change_roles = delete_roles = frozenset()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [f.name for f in self.model._meta.fields]


class ScopedInline(admin.TabularInline):
    """An inline that may be viewed or edited exactly when its parent may."""

    extra = 0
    formfield_overrides = URL_FIELDS

    def _parent(self) -> admin.ModelAdmin:
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._parent().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        parent = self._parent()
        if obj is None:
            return parent.has_add_permission(request)
        return parent.has_change_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        parent = self._parent()
        if obj is None:
            return parent.has_add_permission(request) or parent.has_change_permission(request)
        return parent.has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)


def formset_changes(
    formset: BaseModelFormSet,
) -> tuple[list[tuple[models.Model, list[str] | None]], list[models.Model]]:
    """([(row, changed_fields or None when new)], [deleted rows]) without saving."""
    formset.save(commit=False)
    rows: list[tuple[models.Model, list[str] | None]] = [(obj, None) for obj in formset.new_objects]
    rows += [(obj, list(fields)) for obj, fields in formset.changed_objects]
    return rows, list(formset.deleted_objects)


# --- core models -----------------------------------------------------------


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(RoleAdmin):
    """Declared non-working days: they move every business-day deadline
    computed from then on (a complaint's deadline, stated on its constancia
    at filing, stays: docs/adr/0008)."""

    view_roles = frozenset({access.NATIONAL, Role.CENTER_COORDINATOR})
    list_display = ["date", "name", "legal_basis"]
    date_hierarchy = "date"
    search_fields = ["name", "legal_basis"]

    def save_with_action(
        self, request: HttpRequest, obj: Any, changed_fields: list[str] | None
    ) -> None:
        core_actions.save_non_working_day(obj, by=request.user, changed_fields=changed_fields)
        # Not refused: the bookings of that day that check-in would now
        # refuse, with a link to them (the app that has them says so).
        from mac.appointments.admin import warn_affected

        warn_affected(request, None)

    def delete_with_action(self, request: HttpRequest, obj: Any) -> None:
        core_actions.delete_non_working_day(obj, by=request.user)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["action", "object_type", "object_id", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor"]


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "department"]
    list_filter = ["department"]
    search_fields = ["code", "name"]
    list_select_related = ["department"]


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]
