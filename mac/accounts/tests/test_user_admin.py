"""Staff accounts are managed nationally; scope errors read as form errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mac.accounts.models import Role, User
from mac.core.models import AuditLog
from mac.core.testing import PASSWORD, admin_form_data

CHANGELIST = reverse("admin:accounts_user_changelist")
ADD = reverse("admin:accounts_user_add")


def new_user_data(**overrides):
    data = {
        "username": "erin",
        "usable_password": "true",
        "password1": "una-clave-larga-987",
        "password2": "una-clave-larga-987",
        "role": Role.CATALOG_EDITOR,
        "entity": "",
        "center": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestUserAdmin:
    @pytest.mark.parametrize("who", ["dave", "carol"])
    def test_it_refuses_entity_staff(self, client, personas, who):
        client.force_login(getattr(personas, who))

        listing = client.get(CHANGELIST)
        change = client.get(reverse("admin:accounts_user_change", args=[personas.bob.pk]))

        assert (listing.status_code, change.status_code) == (403, 403)

    def test_it_refuses_dave_a_new_account(self, client, personas):
        client.force_login(personas.dave)

        response = client.post(ADD, new_user_data(entity=str(personas.reniec.pk)))

        assert response.status_code == 403
        assert not User.objects.filter(username="erin").exists()

    def test_it_lists_every_account_for_alice(self, client, personas):
        client.force_login(personas.alice)

        response = client.get(CHANGELIST)

        assert response.status_code == 200
        assert {u.username for u in response.context["cl"].result_list} == {
            "alice",
            "bob",
            "carol",
            "dave",
            "charlie",
        }

    def test_it_explains_that_a_catalog_editor_needs_an_entity(self, client, personas):
        client.force_login(personas.alice)

        response = client.post(ADD, new_user_data())

        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert errors == {"entity": ["Este rol trabaja para una entidad: elija la entidad."]}
        assert not User.objects.filter(username="erin").exists()

    def test_it_creates_a_scoped_account_with_an_audit_row(self, client, personas):
        client.force_login(personas.alice)

        response = client.post(ADD, new_user_data(entity=str(personas.sunat.pk)))

        assert response.status_code == 302
        erin = User.objects.get(username="erin")
        assert (erin.role, erin.entity, erin.center) == (Role.CATALOG_EDITOR, personas.sunat, None)
        assert erin.check_password("una-clave-larga-987")
        row = AuditLog.objects.get(action="accounts.user.saved")
        assert (row.actor, row.object_id) == (personas.alice, str(erin.pk))

    def test_it_explains_that_moving_an_advisor_needs_a_center(self, client, personas):
        client.force_login(personas.alice)
        url = reverse("admin:accounts_user_change", args=[personas.bob.pk])
        data = admin_form_data(client.get(url))
        data["center"] = ""

        response = client.post(url, data)

        assert response.status_code == 200
        assert response.context["adminform"].form.errors == {
            "center": ["Este rol trabaja en un Centro MAC: elija el centro."]
        }
        personas.bob.refresh_from_db()
        assert personas.bob.center == personas.lima_norte

    def test_it_does_not_let_a_national_supervisor_grant_superuser(self, client, personas):
        client.force_login(personas.alice)
        url = reverse("admin:accounts_user_change", args=[personas.dave.pk])
        data = admin_form_data(client.get(url))
        data["is_superuser"] = "on"

        response = client.post(url, data)

        assert response.status_code == 302
        personas.dave.refresh_from_db()
        assert personas.dave.is_superuser is False

    def test_it_keeps_superuser_accounts_out_of_a_supervisors_reach(self, client, personas):
        root = User.objects.create_superuser("root", password=PASSWORD)
        client.force_login(personas.alice)

        view = client.get(reverse("admin:accounts_user_change", args=[root.pk]))
        password = client.post(
            reverse("admin:auth_user_password_change", args=[root.pk]),
            {"password1": "otra-clave-larga-123", "password2": "otra-clave-larga-123"},
        )

        assert view.status_code == 200
        assert view.context["has_change_permission"] is False
        assert password.status_code == 403
        root.refresh_from_db()
        assert root.check_password(PASSWORD)

    def test_it_sets_a_password_through_the_action(self, client, personas):
        client.force_login(personas.alice)

        response = client.post(
            reverse("admin:auth_user_password_change", args=[personas.bob.pk]),
            {
                "usable_password": "true",
                "password1": "otra-clave-larga-123",
                "password2": "otra-clave-larga-123",
            },
        )

        assert response.status_code == 302
        personas.bob.refresh_from_db()
        assert personas.bob.check_password("otra-clave-larga-123")
        row = AuditLog.objects.get(action="accounts.user.password_set")
        assert (row.actor, row.object_id, row.data) == (personas.alice, str(personas.bob.pk), {})
