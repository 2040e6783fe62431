"""Back office for the queue engine (see mac/core/admin.py for the role rules).

- National supervisor: counters, center policies and service queue settings:
  view, add, change; tickets and attentions: view.
- Center coordinator of center C: C's counters: view, add, change; C's
  tickets and attentions: view.
- Entity supervisor of X: X's tickets and attentions: view.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from mac.accounts.models import Role
from mac.core import access
from mac.core.admin import NATIONAL, ReadOnlyAdmin, RoleAdmin, role
from mac.queueing import actions
from mac.queueing.errors import QueueError
from mac.queueing.models import Attention, CenterQueue, Counter, ServiceQueueSettings, Ticket

COORDINATORS = frozenset({access.NATIONAL, Role.CENTER_COORDINATOR})
READERS = frozenset(
    {access.NATIONAL, Role.CENTER_COORDINATOR, Role.ENTITY_SUPERVISOR, Role.CALL_CENTER}
)


class _ActionErrors:
    """Turn a refused action into a message instead of a server error."""

    def run(self, request: HttpRequest, action: Any) -> bool:
        """Whether the action was done."""
        try:
            action()
        except QueueError as exc:
            messages.error(request, exc.message)
            return False
        return True


class CounterForm(forms.ModelForm):
    class Meta:
        model = Counter
        fields = ["center", "entity", "number", "services", "languages", "active"]

    def clean(self) -> dict[str, Any]:
        """The action's refusal (a counter in use, tickets it would leave
        nobody to call...) as an error on the form, with what was typed kept.
        Asked in the admin's transaction, which then saves: the counters'
        locks taken here hold until then."""
        cleaned: dict[str, Any] = super().clean() or {}
        setup = ["center", "entity", "number", "languages", "active"]
        if any(name not in cleaned for name in setup):
            return cleaned  # a field's own error is shown first
        counter = Counter(pk=self.instance.pk, **{name: cleaned[name] for name in setup})
        try:
            actions.check_counter(
                counter,
                changed_fields=list(self.changed_data) if self.instance.pk else None,
                services=list(cleaned.get("services", [])),
            )
        except QueueError as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        return cleaned


@admin.register(Counter)
class CounterAdmin(_ActionErrors, RoleAdmin):
    form = CounterForm
    view_roles = add_roles = change_roles = COORDINATORS
    delete_roles = frozenset()
    list_display = ["center", "number", "entity", "status", "advisor", "active"]
    list_filter = ["center", "entity", "status", "active"]
    filter_horizontal = ["services"]
    readonly_fields = ["status", "advisor", "current_ticket", "free_since"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Counter]:
        centers = access.centers_editable_by(request.user)
        return super().get_queryset(request).filter(center__in=centers)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "center" and role(request) != access.NATIONAL:
            kwargs["queryset"] = access.centers_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Counter, form: Any, change: bool) -> None:
        # Skills are saved with the counter, by the action (save_related below is
        # skipped). A local, not an attribute: the admin instance serves every request.
        services = list(form.cleaned_data.get("services", []))
        fields = list(form.changed_data) if change else None
        before = form.initial.get("center") if change else None
        saved = self.run(
            request,
            lambda: actions.save_counter(
                obj, by=request.user, changed_fields=fields, services=services
            ),
        )
        if saved and change:
            # Not refused (the counter may really be gone): the bookings it
            # leaves that check-in would refuse, here and where it left.
            from mac.appointments.admin import warn_affected

            warn_affected(request, {obj.center_id, before or obj.center_id})

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass


@admin.register(CenterQueue)
class CenterQueueAdmin(_ActionErrors, RoleAdmin):
    view_roles = COORDINATORS
    delete_roles = frozenset()
    list_display = ["center", "policy", "recall_limit", "appointment_target_minutes"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CenterQueue]:
        return (
            super().get_queryset(request).filter(center__in=access.centers_visible_to(request.user))
        )

    def save_with_action(self, request: HttpRequest, obj: Any, changed: list[str] | None) -> None:
        self.run(request, lambda: actions.save_queue_settings(obj, by=request.user))


@admin.register(ServiceQueueSettings)
class ServiceQueueSettingsAdmin(_ActionErrors, RoleAdmin):
    view_roles = NATIONAL
    delete_roles = frozenset()
    list_display = ["service", "series", "target_wait_minutes", "mean_service_minutes"]
    list_filter = ["service__entity"]
    search_fields = ["service__name", "service__code"]
    raw_id_fields = ["service"]

    def save_with_action(self, request: HttpRequest, obj: Any, changed: list[str] | None) -> None:
        self.run(request, lambda: actions.save_queue_settings(obj, by=request.user))


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    view_roles = READERS
    list_display = ["code", "center", "service", "state", "priority", "issued_at", "counter"]
    list_filter = ["state", "priority", "language", "center"]
    date_hierarchy = "issued_at"
    search_fields = ["code"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Ticket]:
        return access.tickets_visible_to(request.user).select_related(
            "center", "service", "counter"
        )


@admin.register(Attention)
class AttentionAdmin(ReadOnlyAdmin):
    view_roles = READERS
    list_display = ["ended_at", "center", "entity", "service", "counter", "wait_seconds", "outcome"]
    list_filter = ["channel", "outcome", "entity", "center"]
    date_hierarchy = "ended_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attention]:
        return access.attentions_visible_to(request.user).select_related(
            "center", "entity", "service", "counter"
        )
