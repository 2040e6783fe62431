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
from mac.accounts.models import ApiKey, Role
from mac.core.models import AuditLog
from mac.core.testing import make_user
from mac.queueing.models import Ticket, Visit
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
            "source": "api",
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


class TestTicketSource:
    """The credentials decide where a ticket comes from: a key's own source,
    the desk for orientation staff's session, the API for any other caller.
    A claim of another origin is a 403 and creates nothing."""

    @pytest.mark.parametrize(
        ("key_source", "sent", "expected"),
        [
            ("api", None, "api"),
            ("api", "api", "api"),
            ("kiosk", None, "kiosk"),
            ("kiosk", "kiosk", "kiosk"),
            ("desk", None, "desk"),
        ],
    )
    def test_a_keys_ticket_has_the_keys_source(
        self, desk: Desk, key_source: str, sent: str | None, expected: str
    ) -> None:
        # given
        _, key = create_key(desk.advisor, "Sistema", source=key_source)
        body = {"service": desk.dni.pk} | ({"source": sent} if sent else {})

        # when
        status, ticket = call(key, f"/centers/{desk.center.pk}/tickets", body)

        # then
        assert (status, ticket["source"]) == (201, expected)
        assert Ticket.objects.get().source == expected

    @pytest.mark.parametrize(
        ("key_source", "claimed", "detail"),
        [
            ("api", "kiosk", "«API», no «Kiosko»"),
            ("api", "desk", "«API», no «Orientación»"),
            ("kiosk", "desk", "«Kiosko», no «Orientación»"),
            ("desk", "api", "«Orientación», no «API»"),
        ],
    )
    def test_a_key_may_not_claim_another_source(
        self, desk: Desk, key_source: str, claimed: str, detail: str
    ) -> None:
        # given: a key made for one kind of system
        _, key = create_key(desk.advisor, "Sistema", source=key_source)

        # when its system says the ticket came from somewhere else
        status, body = call(
            key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk, "source": claimed}
        )

        # then
        assert (status, body["code"]) == (403, "source")
        assert body["detail"] == (f"Con estas credenciales el origen de los tickets es {detail}.")
        assert Ticket.objects.count() == 0
        assert Visit.objects.count() == 0
        assert not AuditLog.objects.filter(action="queue.ticket.issued").exists()

    @pytest.mark.parametrize(
        ("role", "expected", "refused"),
        [
            (Role.ORIENTATION, "desk", "kiosk"),
            (Role.CENTER_COORDINATOR, "desk", "api"),
            (Role.ADVISOR, "api", "desk"),
        ],
    )
    def test_a_session_has_the_source_of_its_role(
        self, desk: Desk, role: str, expected: str, refused: str
    ) -> None:
        # given
        entity = desk.reniec if role == Role.ADVISOR else None
        client = Client()
        client.force_login(make_user("persona", role, center=desk.center, entity=entity))
        path = f"/api/v1/queue/centers/{desk.center.pk}/tickets"

        # when
        with time_machine.travel(OPEN, tick=False):
            claimed = client.post(
                path, {"service": desk.dni.pk, "source": refused}, content_type="application/json"
            )
            unclaimed = client.post(path, {"service": desk.dni.pk}, content_type="application/json")

        # then
        assert (claimed.status_code, claimed.json()["code"]) == (403, "source")
        assert (unclaimed.status_code, unclaimed.json()["source"]) == (201, expected)
        assert list(Ticket.objects.values_list("source", flat=True)) == [expected]

    def test_a_service_added_by_a_key_has_the_keys_source(self, desk: Desk) -> None:
        # given: a visit the key's system started
        _, key = create_key(desk.advisor, "Tableta MAC Express")
        _, first = call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})

        # when it adds a second procedure to the visit
        status, second = call(key, f"/visits/{first['visit']}/tickets", {"service": desk.acta.pk})

        # then the new ticket comes from the API too, not from the desk
        assert (status, second["source"]) == (201, "api")
        assert sorted(Ticket.objects.values_list("source", flat=True)) == ["api", "api"]


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
        assert lines[0] == f"Clave de API «Aló MAC» para {desk.advisor.username}, origen api:"
        assert key.startswith(f"mac_{row.prefix}_")
        assert lines[2].startswith("Vale hasta el ")
        assert lines[3] == "Guárdela ahora: no se vuelve a mostrar."
        assert call(key, f"/centers/{desk.center.pk}/tickets", {"service": desk.dni.pk})[0] == 201
        assert f"mac_{row.prefix}_…" in listing.getvalue()
        assert key.split("_", 2)[2] not in listing.getvalue()
        assert "activa" in listing.getvalue()

    def test_create_binds_the_key_to_the_source_given(self, desk: Desk) -> None:
        # when
        out = StringIO()
        call_command(
            "apikey",
            "create",
            "--user",
            desk.advisor.username,
            "--name",
            "Kiosko 1",
            "--source",
            "kiosk",
            stdout=out,
        )
        listing = StringIO()
        call_command("apikey", "list", stdout=listing)

        # then
        row = ApiKey.objects.get()
        assert row.source == "kiosk"
        assert out.getvalue().splitlines()[0] == (
            f"Clave de API «Kiosko 1» para {desk.advisor.username}, origen kiosk:"
        )
        assert " kiosk " in listing.getvalue()

    def test_a_key_for_an_unknown_source_is_not_made(self, desk: Desk) -> None:
        with pytest.raises(ValueError, match="Origen desconocido: orientacion"):
            create_key(desk.advisor, "Sistema", source="orientacion")
        assert ApiKey.objects.count() == 0
        assert not AuditLog.objects.filter(action="accounts.apikey.created").exists()

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
