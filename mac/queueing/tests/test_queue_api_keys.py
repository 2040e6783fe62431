"""Another channel's system (Aló MAC's telephony, a MAC Express tablet) calls
the queue API with an API key instead of a session: `Authorization: Bearer
mac_<prefix>_<secret>`, as the staff user the key belongs to, with that
user's scope and nothing more; no CSRF token. A wrong, revoked or orphaned
key is a 401 and changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from mac.accounts.apikeys import create_key, revoke_key
from mac.accounts.models import ApiKey
from mac.core.models import AuditLog
from mac.queueing.models import Ticket
from mac.queueing.testing import OPEN, queue_center

from .conftest import Desk


def call(key: str | None, path: str, data: dict | None = None, at: dt.datetime = OPEN):
    # With a key, CSRF checks on: a browser session would need a token, a key does not.
    client = Client(enforce_csrf_checks=key is not None)
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    with time_machine.travel(at, tick=False):
        response = client.post(
            f"/api/v1/queue{path}", data or {}, content_type="application/json", headers=headers
        )
    return response.status_code, (response.json() if response.content else {})


class TestApiKeyServes:
    def test_a_key_issues_and_calls_as_its_user_without_csrf(self, desk: Desk) -> None:
        # given
        row, key = create_key(desk.advisor, "Tableta MAC Express")

        # when
        issued = call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        called = call(key, f"/counters/{desk.counter.pk}/call-next")

        # then
        assert (issued[0], issued[1]["code"], issued[1]["state"]) == (201, "R-001", "waiting")
        assert (called[0], called[1]["id"], called[1]["state"]) == (
            200,
            issued[1]["id"],
            "called",
        )
        ticket = Ticket.objects.get()
        assert (ticket.advisor_id, ticket.counter_id) == (desk.advisor.pk, desk.counter.pk)
        assert AuditLog.objects.get(action="queue.ticket.called").actor_id == desk.advisor.pk
        row.refresh_from_db()
        assert row.last_used_at == OPEN

    def test_the_key_is_stored_only_as_prefix_and_digest(self, desk: Desk) -> None:
        # when
        row, key = create_key(desk.advisor, "Central Aló MAC")

        # then
        _, prefix, secret = key.split("_", 2)
        assert (row.prefix, len(secret) >= 40) == (prefix, True)
        stored = ApiKey.objects.values_list("name", "prefix", "digest").get()
        assert key not in "".join(stored) and secret not in "".join(stored)
        assert AuditLog.objects.get(action="accounts.apikey.created").data == {
            "user": desk.advisor.username,
            "name": "Central Aló MAC",
            "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        }

    def test_last_use_is_written_at_most_once_a_minute(self, desk: Desk) -> None:
        # given
        row, key = create_key(desk.advisor, "Kiosko")
        path = f"/centers/{desk.center.pk}/tickets"

        # when
        call(key, path, {"service": desk.dni.pk}, at=OPEN)
        call(key, path, {"service": desk.dni.pk}, at=OPEN + dt.timedelta(seconds=59))
        row.refresh_from_db()
        within_the_minute = row.last_used_at
        call(key, path, {"service": desk.dni.pk}, at=OPEN + dt.timedelta(seconds=61))
        row.refresh_from_db()

        # then
        assert (within_the_minute, row.last_used_at) == (OPEN, OPEN + dt.timedelta(seconds=61))
        assert Ticket.objects.count() == 3


class TestApiKeyRefusals:
    @pytest.mark.parametrize(
        "mangle",
        [
            lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # wrong secret
            lambda key: "mac_00000000_" + key.split("_", 2)[2],  # unknown prefix
            lambda key: key.replace("mac_", "xyz_", 1),  # not a key of ours
            lambda key: "",  # empty
        ],
        ids=["wrong-secret", "unknown-prefix", "foreign", "empty"],
    )
    def test_a_wrong_key_is_refused_and_nothing_changes(self, desk: Desk, mangle) -> None:
        # given
        row, key = create_key(desk.advisor, "Tableta")

        # when
        status, body = call(mangle(key), f"/centers/{desk.center.pk}/tickets", {"service": 1})

        # then
        assert (status, body["code"]) == (401, "unauthenticated")
        assert Ticket.objects.count() == 0
        row.refresh_from_db()
        assert row.last_used_at is None

    def test_no_key_and_no_session_is_refused(self, desk: Desk) -> None:
        status, _ = call(None, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})
        assert status == 401
        assert Ticket.objects.count() == 0

    def test_a_revoked_key_is_refused(self, desk: Desk) -> None:
        # given
        row, key = create_key(desk.advisor, "Tableta")
        assert call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})[0] == 201

        # when
        revoke_key(row.prefix, by=None)
        status, _ = call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})

        # then
        assert status == 401
        assert Ticket.objects.count() == 1
        assert AuditLog.objects.filter(action="accounts.apikey.revoked").count() == 1

    def test_the_key_of_an_inactive_user_is_refused(self, desk: Desk) -> None:
        # given
        _, key = create_key(desk.advisor, "Tableta")
        desk.advisor.is_active = False
        desk.advisor.save(update_fields=["is_active"])

        # when
        status, _ = call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})

        # then
        assert status == 401
        assert Ticket.objects.count() == 0

    def test_a_key_carries_its_users_scope_only(self, desk: Desk) -> None:
        # given: another center the advisor does not work in
        other = queue_center("arequipa", name="Centro MAC Arequipa")
        _, key = create_key(desk.advisor, "Tableta")

        # when
        status, body = call(key, f"/centers/{other.pk}/tickets", {"service": desk.dni.pk})

        # then
        assert (status, body["code"]) == (404, "center")
        assert Ticket.objects.count() == 0


@pytest.mark.django_db
class TestApiKeyCommand:
    def test_create_prints_the_key_once_and_list_shows_only_its_prefix(self, desk: Desk) -> None:
        # when
        out = StringIO()
        call_command(
            "apikey", "create", "--user", desk.advisor.username, "--name", "Aló MAC", stdout=out
        )
        listing = StringIO()
        call_command("apikey", "list", stdout=listing)

        # then
        row = ApiKey.objects.get()
        lines = out.getvalue().splitlines()
        key = lines[1]
        assert lines[0] == f"Clave de API «Aló MAC» para {desk.advisor.username}:"
        assert key.startswith(f"mac_{row.prefix}_")
        assert lines[2].startswith("Vale hasta el ")
        assert lines[3] == "Guárdela ahora: no se vuelve a mostrar."
        assert call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})[0] == 201
        assert f"mac_{row.prefix}_…" in listing.getvalue()
        assert key.split("_", 2)[2] not in listing.getvalue()
        assert "activa" in listing.getvalue()

    def test_revoke_by_prefix(self, desk: Desk) -> None:
        # given
        row, key = create_key(desk.advisor, "Aló MAC")
        out = StringIO()

        # when
        call_command("apikey", "revoke", row.prefix, stdout=out)

        # then
        assert out.getvalue() == f"Clave mac_{row.prefix}_… (Aló MAC) revocada.\n"
        row.refresh_from_db()
        assert row.revoked_at is not None
        assert call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})[0] == 401

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["create", "--user", "nadie", "--name", "X"], "No existe el usuario nadie."),
            (
                ["create", "--user", "{advisor}", "--name", "  "],
                "Dé un nombre a la clave: el sistema que la usará.",
            ),
            (["revoke", "abcd1234"], "No hay ninguna clave con el prefijo abcd1234."),
        ],
        ids=["unknown-user", "no-name", "unknown-prefix"],
    )
    def test_bad_input_is_refused_and_nothing_is_written(
        self, desk: Desk, args: list[str], message: str
    ) -> None:
        args = [a.format(advisor=desk.advisor.username) for a in args]
        with pytest.raises(CommandError) as refused:
            call_command("apikey", *args, stdout=StringIO())
        assert str(refused.value) == message
        assert ApiKey.objects.count() == 0
        assert not AuditLog.objects.filter(action__startswith="accounts.apikey").exists()


def test_the_openapi_spec_offers_the_bearer_key(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["ApiKeyAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Clave de API: Authorization: Bearer mac_<prefijo>_<secreto>",
    }
    issue = spec["paths"]["/api/v1/queue/centers/{center_id}/tickets"]["post"]
    assert {"ApiKeyAuth": []} in issue["security"]
