"""The health check answers when the database does."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection


@pytest.mark.django_db
class TestHealthz:
    def test_it_answers_200_json_with_status_ok(self, client):
        response = client.get("/healthz")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"status": "ok", "database": connection.vendor}
        assert "no-cache" in response["Cache-Control"]

    def test_a_failing_database_is_503_without_the_drivers_message(
        self, client, monkeypatch, caplog
    ):
        # given: the database refuses connections (the driver's message names
        # the host, port and user)
        secret = 'connection to server at "db.interno" (10.0.0.5), port 5432 failed: user "mac"'

        def refuse(*args, **kwargs):
            raise OperationalError(secret)

        monkeypatch.setattr(connection, "cursor", refuse)

        # when
        response = client.get("/healthz")

        # then: the client learns only that it is unavailable; the log has it
        assert (response.status_code, response.json()) == (
            503,
            {"status": "error", "database": "unavailable"},
        )
        assert secret in caplog.text
