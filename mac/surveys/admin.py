"""Surveys in the back office: read-only lists for national supervisors
(answers are written by citizens only, annual years by `mac import_survey`;
entity supervisors and coordinators read the scoped results page).

Single answers are listed for superusers only: each one names its attention,
advisor and minute, which would undo the noise of the published figures
(ADR 0009) for any supervisor who could open the list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mac.core.admin import ReadOnlyAdmin
from mac.surveys.models import AnnualImport, Invitation, Response


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["attention", "created_at", "expires_at", "answered_at", "notified_at"]
    date_hierarchy = "created_at"
    exclude = ["token"]  # the key of a citizen's link

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [name for name in super().get_readonly_fields(request, obj) if name != "token"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["pk", "entity", "center", "service", "overall", "recommend", "answered_at"]
    list_filter = ["channel", "entity"]
    date_hierarchy = "answered_at"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Response]:
        from mac.surveys.access import responses_visible_to

        return responses_visible_to(request.user).select_related("entity", "center", "service")


@admin.register(AnnualImport)
class AnnualImportAdmin(ReadOnlyAdmin):
    list_display = ["year", "rows", "filename", "imported_at", "imported_by"]
