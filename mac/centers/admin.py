"""Back office for Centros MAC. Who may do what: see the table in mac/core/admin.py."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from mac.accounts.models import Role
from mac.centers import actions
from mac.centers.models import Center, OpeningException, OpeningHours
from mac.core import access
from mac.core.admin import RoleAdmin, ScopedInline, formset_changes, role

MANAGERS = frozenset({access.NATIONAL, Role.CENTER_COORDINATOR})


class OpeningHoursInline(ScopedInline):
    model = OpeningHours
    fields = ["weekday", "opens", "closes"]
    ordering = ["weekday", "opens"]


class OpeningExceptionInline(ScopedInline):
    model = OpeningException
    fields = ["date", "closed", "opens", "closes", "reason"]
    ordering = ["-date"]


@admin.register(Center)
class CenterAdmin(RoleAdmin):
    view_roles = MANAGERS
    change_roles = MANAGERS
    inlines = [OpeningHoursInline, OpeningExceptionInline]
    list_display = ["name", "region", "ubigeo", "status", "opened_on", "is_illustrative"]
    list_filter = ["status", "region", "is_illustrative"]
    search_fields = ["name", "address", "ubigeo__name"]
    list_select_related = ["region", "ubigeo"]
    autocomplete_fields = ["ubigeo"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Center]:
        if role(request) not in MANAGERS:
            return Center.objects.none()
        return access.centers_editable_by(request.user).select_related("region", "ubigeo")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or access.centers_editable_by(request.user).filter(pk=obj.pk).exists()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if role(request) == access.NATIONAL:
            return ()
        # A coordinator keeps the contact data current; the rest is decided nationally.
        return [
            f.name
            for f in Center._meta.fields
            if not f.primary_key and f.name not in actions.COORDINATOR_FIELDS
        ]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return self.prepopulated_fields if role(request) == access.NATIONAL else {}

    def get_autocomplete_fields(self, request: HttpRequest) -> Any:
        return self.autocomplete_fields if role(request) == access.NATIONAL else ()

    def save_with_action(
        self, request: HttpRequest, obj: Any, changed_fields: list[str] | None
    ) -> None:
        actions.save_center(obj, by=request.user, changed_fields=changed_fields)

    def delete_with_action(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_center(obj, by=request.user)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            # Not refused: the bookings a closing, new hours or the center's
            # status leave that check-in would refuse, with a link to them.
            from mac.appointments.admin import warn_affected

            warn_affected(request, [form.instance.pk])

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        if formset.model not in (OpeningHours, OpeningException):
            super().save_formset(request, form, formset, change)
            return
        rows, deleted = formset_changes(formset)
        for row in deleted:
            actions.delete_schedule_row(row, by=request.user)  # type: ignore[arg-type]
        for row, fields in rows:
            actions.save_schedule_row(row, by=request.user, changed_fields=fields)  # type: ignore[arg-type]
