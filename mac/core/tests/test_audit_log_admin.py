"""The audit log is read-only in the back office, and only national staff see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mac.core.audit import record
from mac.core.models import AuditLog


@pytest.mark.django_db
class TestAuditLogAdmin:
    def test_it_lists_rows_for_the_national_supervisor(self, client, personas):
        row = record("core.test", by=personas.dave, note="x")
        client.force_login(personas.alice)

        response = client.get(reverse("admin:core_auditlog_changelist"))

        assert response.status_code == 200
        assert [r.pk for r in response.context["cl"].result_list] == [row.pk]

    def test_it_shows_a_row_without_a_save_button(self, client, personas):
        row = record("core.test", by=personas.dave)
        client.force_login(personas.alice)

        response = client.get(reverse("admin:core_auditlog_change", args=[row.pk]))

        assert response.status_code == 200
        assert response.context["has_change_permission"] is False
        assert response.context["has_delete_permission"] is False

    def test_it_refuses_to_add(self, client, personas):
        client.force_login(personas.alice)

        get = client.get(reverse("admin:core_auditlog_add"))
        post = client.post(reverse("admin:core_auditlog_add"), {"action": "forged"})

        assert (get.status_code, post.status_code) == (403, 403)
        assert AuditLog.objects.count() == 0

    def test_it_refuses_to_change_or_delete_even_for_a_superuser(self, client, personas):
        row = record("core.test", by=personas.dave)
        root = type(personas.alice).objects.create_superuser("root", password="x")
        client.force_login(root)

        change = client.post(
            reverse("admin:core_auditlog_change", args=[row.pk]), {"action": "forged"}
        )
        delete = client.post(reverse("admin:core_auditlog_delete", args=[row.pk]), {"post": "yes"})

        assert (change.status_code, delete.status_code) == (403, 403)
        row.refresh_from_db()
        assert row.action == "core.test"

    @pytest.mark.parametrize("who", ["dave", "carol"])
    def test_it_is_hidden_from_entity_staff(self, client, personas, who):
        client.force_login(getattr(personas, who))

        response = client.get(reverse("admin:core_auditlog_changelist"))

        assert response.status_code == 403
