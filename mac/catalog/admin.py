"""Back office for the catalog. Who may do what: see the table in mac/core/admin.py."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mac.accounts.models import Role
from mac.catalog import actions
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
from mac.core import access
from mac.core.admin import CATALOG_READERS, RoleAdmin, ScopedInline, formset_changes, role

EDITORS = frozenset({access.NATIONAL, Role.CATALOG_EDITOR})


@admin.register(Entity)
class EntityAdmin(RoleAdmin):
    view_roles = CATALOG_READERS
    list_display = ["acronym", "name", "level", "sector", "status", "is_illustrative"]
    list_filter = ["level", "status", "is_illustrative"]
    search_fields = ["acronym", "name", "sector"]
    prepopulated_fields = {"slug": ["acronym"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entity]:
        return access.entities_visible_to(request.user)

    def save_with_action(
        self, request: HttpRequest, obj: Any, changed_fields: list[str] | None
    ) -> None:
        actions.save_entity(obj, by=request.user, changed_fields=changed_fields)

    def delete_with_action(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_entity(obj, by=request.user)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        if change:
            _warn_affected(request)


def _warn_affected(request: HttpRequest) -> None:
    """Not refused: the bookings that an entity's or a service's status, or an
    offer made inactive, leave that check-in would refuse (service not
    offered), in whatever center, with a link to them."""
    from mac.appointments.admin import warn_affected

    warn_affected(request, None)


class RequirementInline(ScopedInline):
    model = Requirement
    fields = ["order", "text", "notes", "form_name", "form_url"]
    ordering = ["order"]


class ServiceChannelInline(ScopedInline):
    model = ServiceChannel
    fields = ["channel", "url", "notes"]


class OfferInline(ScopedInline):
    model = Offer
    fields = ["center", "active", "since", "notes"]


@admin.register(Service)
class ServiceAdmin(RoleAdmin):
    view_roles = CATALOG_READERS
    add_roles = EDITORS
    change_roles = EDITORS
    inlines = [RequirementInline, ServiceChannelInline, OfferInline]
    list_display = [
        "code",
        "plain_name",
        "entity",
        "status",
        "qualification",
        "requires_appointment",
        "is_illustrative",
        "updated_at",
    ]
    list_filter = [
        ("entity", admin.RelatedOnlyFieldListFilter),
        "status",
        "qualification",
        "requires_appointment",
        "is_illustrative",
    ]
    search_fields = ["code", "name", "plain_name", "keywords", "entity__acronym"]
    list_select_related = ["entity"]
    filter_horizontal = ["categories"]
    prepopulated_fields = {"slug": ["plain_name"]}
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["entity", "code", "slug", "name", "plain_name", "description"]}),
        (
            _("Datos del TUPA"),
            {
                "fields": [
                    "qualification",
                    "silence",
                    "fee",
                    "fee_notes",
                    "deadline_days",
                    "competent_unit",
                    "legal_basis",
                    "reconsideration_authority",
                    "appeal_authority",
                ]
            },
        ),
        (
            None,
            {
                "fields": [
                    "requires_appointment",
                    "categories",
                    "keywords",
                    "status",
                    "is_illustrative",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Service]:
        if role(request) not in CATALOG_READERS:
            return Service.objects.none()
        return access.services_visible_to(request.user).select_related("entity")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.service_entities_for(request.user).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        return access.services_editable_by(request.user).filter(pk=obj.pk).exists()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "entity":
            # An editor can neither create a service for nor move one to another entity.
            kwargs["queryset"] = access.service_entities_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        entities = list(access.service_entities_for(request.user)[:2])
        if len(entities) == 1:
            initial.setdefault("entity", str(entities[0].pk))
        return initial

    def save_with_action(
        self, request: HttpRequest, obj: Any, changed_fields: list[str] | None
    ) -> None:
        actions.save_service(obj, by=request.user, changed_fields=changed_fields)

    def delete_with_action(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_service(obj, by=request.user)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        if "categories" in form.cleaned_data:
            actions.set_service_categories(
                form.instance, form.cleaned_data["categories"], by=request.user
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        if change:
            _warn_affected(request)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseModelFormSet, change: bool
    ) -> None:
        service = form.instance
        rows, deleted = formset_changes(formset)
        by = request.user
        if formset.model is Requirement:
            actions.save_requirements(
                service,
                by=by,
                saved=[row for row, _fields in rows],  # type: ignore[misc]
                deleted=deleted,  # type: ignore[arg-type]
            )
        elif formset.model is ServiceChannel:
            for channel in deleted:
                actions.delete_service_channel(channel, by=by)  # type: ignore[arg-type]
            for channel, fields in rows:
                actions.save_service_channel(channel, by=by, changed_fields=fields)  # type: ignore[arg-type]
        elif formset.model is Offer:
            for offer in deleted:
                actions.remove_offer(offer, by=by)  # type: ignore[arg-type]
            for offer, fields in rows:
                actions.save_offer(offer, by=by, changed_fields=fields)  # type: ignore[arg-type]
        else:
            super().save_formset(request, form, formset, change)


class ReferenceAdmin(RoleAdmin):
    """Categories, UIT values and synonyms: shared by all entities."""

    view_roles = CATALOG_READERS

    def save_with_action(
        self, request: HttpRequest, obj: Any, changed_fields: list[str] | None
    ) -> None:
        actions.save_reference(obj, by=request.user, changed_fields=changed_fields)

    def delete_with_action(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_reference(obj, by=request.user)


@admin.register(Category)
class CategoryAdmin(ReferenceAdmin):
    list_display = ["name", "kind", "description"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(UIT)
class UITAdmin(ReferenceAdmin):
    list_display = ["year", "value", "legal_basis"]


@admin.register(Synonym)
class SynonymAdmin(ReferenceAdmin):
    list_display = ["term", "expansion"]
    search_fields = ["term", "expansion"]
