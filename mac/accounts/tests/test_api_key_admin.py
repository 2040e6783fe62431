"""API keys in the back office: national supervisors list and revoke them;
nobody adds or edits one there (`mac apikey create` shows a key once)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mac.accounts.apikeys import create_key, user_for_key
from mac.accounts.models import ApiKey
from mac.core.models import AuditLog

CHANGELIST = reverse("admin:accounts_apikey_changelist")


@pytest.mark.django_db
class TestApiKeyAdmin:
    def test_a_national_supervisor_lists_the_keys_by_prefix(self, client, personas):
        # given
        row, key = create_key(personas.bob, "Central Aló MAC")
        client.force_login(personas.alice)

        # when
        response = client.get(CHANGELIST)

        # then
        page = response.content.decode()
        assert response.status_code == 200
        assert f"mac_{row.prefix}_…" in page and "Central Aló MAC" in page
        assert key.split("_", 2)[2] not in page
        assert client.get(reverse("admin:accounts_apikey_add")).status_code == 403

    def test_a_national_supervisor_revokes_selected_keys(self, client, personas):
        # given
        row, key = create_key(personas.bob, "Tableta")
        _, other_key = create_key(personas.bob, "Kiosko")
        client.force_login(personas.alice)

        # when
        response = client.post(
            CHANGELIST, {"action": "revoke", "_selected_action": [row.pk]}, follow=True
        )

        # then
        assert response.status_code == 200
        assert "Claves revocadas: 1." in response.content.decode()
        assert user_for_key(key) is None
        assert user_for_key(other_key) == personas.bob
        revoked = AuditLog.objects.get(action="accounts.apikey.revoked")
        assert (revoked.actor_id, revoked.object_id) == (personas.alice.pk, str(row.pk))

    @pytest.mark.parametrize("who", ["dave", "carol"])
    def test_other_roles_do_not_see_them(self, client, personas, who):
        # given
        row, _ = create_key(personas.bob, "Tableta")
        client.force_login(getattr(personas, who))

        # when
        listing = client.get(CHANGELIST)
        revoking = client.post(CHANGELIST, {"action": "revoke", "_selected_action": [row.pk]})

        # then
        assert (listing.status_code, revoking.status_code) == (403, 403)
        assert ApiKey.objects.get().revoked_at is None
