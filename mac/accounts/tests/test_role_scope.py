"""Each role carries the scope it works in (ROLE_SCOPE): the database refuses
a user without it, the action and the form say so in plain Spanish."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mac.accounts.actions import save_user, scope_errors
from mac.accounts.models import Role, User
from mac.core.models import AuditLog


@pytest.mark.django_db
class TestRoleScope:
    @pytest.mark.parametrize(
        "role, missing",
        [
            (Role.CATALOG_EDITOR, {"entity"}),
            (Role.ENTITY_SUPERVISOR, {"entity"}),
            (Role.ADVISOR, {"entity", "center"}),
            (Role.CENTER_COORDINATOR, {"center"}),
            (Role.ORIENTATION, {"center"}),
            (Role.NATIONAL_SUPERVISOR, set()),
            (Role.CALL_CENTER, set()),
            ("", set()),
        ],
    )
    def test_it_names_the_missing_scope_of_each_role(self, role, missing):
        assert set(scope_errors(role, None, None)) == missing

    def test_it_is_satisfied_when_the_scope_is_given(self):
        assert scope_errors(Role.ADVISOR, 1, 2) == {}

    def test_the_database_refuses_a_catalog_editor_without_entity(self, db):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username="erin", role=Role.CATALOG_EDITOR)

        assert not User.objects.filter(username="erin").exists()

    def test_the_database_refuses_an_advisor_without_center(self, personas):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username="erin", role=Role.ADVISOR, entity=personas.reniec)

        assert not User.objects.filter(username="erin").exists()

    def test_the_action_refuses_a_catalog_editor_without_entity(self, personas):
        user = User(username="erin", role=Role.CATALOG_EDITOR)

        with pytest.raises(ValidationError) as exc:
            save_user(user, by=personas.alice)

        assert exc.value.message_dict == {
            "entity": ["Este rol trabaja para una entidad: elija la entidad."]
        }
        assert not User.objects.filter(username="erin").exists()
        assert not AuditLog.objects.exists()

    def test_the_action_saves_a_scoped_user_with_an_audit_row(self, personas):
        user = User(username="erin", role=Role.CATALOG_EDITOR, entity=personas.sunat)

        save_user(user, by=personas.alice)

        row = AuditLog.objects.get(action="accounts.user.saved")
        assert row.actor == personas.alice
        assert row.object_id == str(user.pk)
        assert row.data["fields"]["entity"] == personas.sunat.pk
        assert "password" not in row.data["fields"]
