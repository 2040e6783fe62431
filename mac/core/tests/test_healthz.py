"""The health check answers when the database does."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
class TestHealthz:
    def test_it_answers_200_json_with_status_ok(self, client):
        response = client.get("/healthz")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"status": "ok", "database": connection.vendor}
        assert "no-cache" in response["Cache-Control"]
