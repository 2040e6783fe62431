"""A staff account without a role (never given one, or whose role was taken
away) reaches nothing: not every center's queue by its session, nor by an API
key made while it had a role."""

from __future__ import annotations

import pytest
from django.test import Client

from mac.accounts.apikeys import create_key
from mac.accounts.models import Role
from mac.core import access
from mac.core.testing import make_user
from mac.queueing.testing import make_entity, queue_center, queue_service

pytestmark = pytest.mark.django_db


def test_an_account_without_a_role_sees_no_queue(client):
    norte = queue_center("lima-norte")
    arequipa = queue_center("arequipa", district="040112")
    queue_service(make_entity("RENIEC"), "Duplicado de DNI", norte)
    nobody = make_user("nobody", "", is_staff=True)
    client.force_login(nobody)

    answers = [
        client.get(f"/api/v1/queue/centers/{c.pk}/queue").status_code for c in (norte, arequipa)
    ]

    assert access.role_of(nobody) == ""
    assert list(access.centers_visible_to(nobody)) == []
    assert list(access.services_visible_to(nobody)) == []
    assert list(access.tickets_visible_to(nobody)) == []
    assert answers == [404, 404]


def test_a_key_stops_working_when_its_accounts_role_is_taken_away():
    norte = queue_center("lima-norte")
    operator = make_user("ana-op", Role.CALL_CENTER)
    _, key = create_key(operator, "telefonía")
    api = Client()
    url = f"/api/v1/queue/centers/{norte.pk}/queue"
    before = api.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code

    operator.role = ""
    operator.save(update_fields=["role"])
    after = api.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code

    assert (before, after) == (200, 404)
