"""Back office of the complaints book: the officer and alternate of each
entity (national supervisors name them; everyone else who reads the book
sees them) and the personal data access log (national supervisors read it;
nobody edits it). Claims themselves are handled in the staff screens under
/reclamaciones/personal/, which log every read of personal data."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mac.accounts.models import Role
from mac.core import access as core_access
from mac.core.admin import ReadOnlyAdmin, RoleAdmin
from mac.quality import actions
from mac.quality.models import ComplaintOfficer, PersonalDataAccess


class OfficerForm(ModelForm):
    class Meta:
        model = ComplaintOfficer
        fields = ["entity", "officer", "alternate", "designation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        entity, officer, alternate = data.get("entity"), data.get("officer"), data.get("alternate")
        for field, person in (("officer", officer), ("alternate", alternate)):
            if person is not None and entity is not None and person.entity_id != entity.pk:
                self.add_error(
                    field,
                    ValidationError(
                        _("%(user)s no es personal de %(entity)s.")
                        % {"user": person, "entity": entity}
                    ),
                )
        if officer is not None and officer == alternate:
            self.add_error("alternate", _("El responsable alterno debe ser otra persona."))
        return data


@admin.register(ComplaintOfficer)
class ComplaintOfficerAdmin(RoleAdmin):
    form = OfficerForm
    view_roles = frozenset({core_access.NATIONAL, Role.ENTITY_SUPERVISOR})
    delete_roles = frozenset()
    list_display = ["entity", "officer", "alternate", "designation", "updated_at"]
    list_select_related = ["entity", "officer", "alternate"]
    search_fields = ["entity__acronym", "entity__name", "officer__username", "alternate__username"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ComplaintOfficer]:
        qs = super().get_queryset(request)
        if core_access.role_of(request.user) == core_access.NATIONAL:
            return qs
        return qs.filter(entity_id=getattr(request.user, "entity_id", None))

    def save_with_action(
        self, request: HttpRequest, obj: Any, changed_fields: list[str] | None
    ) -> None:
        actions.save_officers(obj, by=request.user, changed_fields=changed_fields)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "purpose", "label", "object_type", "object_id"]
    list_filter = ["purpose", "object_type"]
    search_fields = ["username", "label", "object_id"]
    date_hierarchy = "at"
