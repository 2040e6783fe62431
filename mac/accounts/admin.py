"""Back office for staff accounts: national supervisors only (see the table in
mac/core/admin.py). A role's scope (entity, center) is checked in the form so
that a missing scope reads as a clear message instead of a database error."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from mac.accounts import actions, apikeys
from mac.accounts.models import ApiKey, User
from mac.core.admin import RoleAdmin

# Who is changing a password: Django's password view builds the form itself,
# so the acting user reaches the form's save() through this variable.
_acting_user: ContextVar[Any] = ContextVar("acting_user", default=None)

# Roles decide permissions, so Django's groups and permission rows are not
# offered here at all; the superuser flag is for superusers to give.
_SUPERUSER_ONLY = ("is_superuser",)


class ScopeFormMixin:
    """Adds the role's missing scope as errors on the entity/center fields."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        if "role" not in cleaned:
            return cleaned
        entity, center = cleaned.get("entity"), cleaned.get("center")
        errors = actions.scope_errors(
            cleaned["role"], entity.pk if entity else None, center.pk if center else None
        )
        for field, message in errors.items():
            self.add_error(field, message)  # type: ignore[attr-defined]
        return cleaned


class StaffChangeForm(ScopeFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class StaffCreationForm(ScopeFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = (
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "entity",
            "center",
            "is_staff",
        )


class PasswordForm(AdminPasswordChangeForm):
    def save(self, commit: bool = True) -> Any:
        actions.set_password(self.user, self.cleaned_data["password1"], by=_acting_user.get())
        return self.user


@admin.register(User)
class UserAdmin(RoleAdmin, DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    change_password_form = PasswordForm
    list_display = ["username", "first_name", "last_name", "role", "entity", "center", "is_active"]
    list_filter = ["role", "entity", "center", "is_staff", "is_active", "is_superuser"]
    filter_horizontal = ()
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["entity", "center"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Datos personales"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Rol y ámbito"), {"fields": ["role", "entity", "center"]}),
        (
            _("Acceso"),
            {"fields": ["is_active", "is_staff", "is_superuser"]},
        ),
        (_("Fechas"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "usable_password", "password1", "password2"],
            },
        ),
        (_("Datos personales"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Rol y ámbito"), {"fields": ["role", "entity", "center", "is_staff"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += _SUPERUSER_ONLY
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or not obj.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        return obj.pk != request.user.pk and (request.user.is_superuser or not obj.is_superuser)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        token = _acting_user.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _acting_user.reset(token)

    def save_with_action(
        self, request: HttpRequest, obj: Any, changed_fields: list[str] | None
    ) -> None:
        actions.save_user(obj, by=request.user, changed_fields=changed_fields)

    def delete_with_action(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_user(obj, by=request.user)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # No many-to-many field is offered (groups and permissions are unused).
        return None


@admin.register(ApiKey)
class ApiKeyAdmin(RoleAdmin):
    """Keys are listed and revoked here; they are created with `mac apikey
    create`, which shows the key once (the database keeps only its digest)."""

    fields = (
        "name",
        "user",
        "source",
        "shown_prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_display = list(fields)
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = fields
    actions = ["revoke"]
    add_roles = frozenset()
    change_roles = frozenset()
    delete_roles = frozenset()

    @admin.display(description=_("clave"))
    def shown_prefix(self, obj: ApiKey) -> str:
        return f"mac_{obj.prefix}_…"

    @admin.action(description=_("Revocar las claves seleccionadas"), permissions=["view"])
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for row in queryset:
            apikeys.revoke_key(row.prefix, by=request.user)
        self.message_user(request, _("Claves revocadas: %(n)d.") % {"n": queryset.count()})
