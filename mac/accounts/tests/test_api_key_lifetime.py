"""An API key lasts a year unless created for fewer or more days (at most
three years): a key forgotten in an old integration stops by itself. `mac
apikey` shows each key's expiry, revokes by the prefix as it lists it, and
refuses a bad name or lifetime with nothing written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from mac.accounts.apikeys import create_key, user_for_key
from mac.accounts.models import ApiKey
from mac.core.calendar import LIMA

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=LIMA)


def apikey(*args: str) -> str:
    out = io.StringIO()
    call_command("apikey", *args, stdout=out)
    return out.getvalue()


def test_a_key_works_until_it_expires(personas):
    with time_machine.travel(NOON, tick=False):
        row, key = create_key(personas.bob, "Tableta MAC Express", days=30)
    assert row.expires_at == NOON + dt.timedelta(days=30)

    with time_machine.travel(NOON + dt.timedelta(days=30, seconds=-1), tick=False):
        assert user_for_key(key) == personas.bob
    with time_machine.travel(NOON + dt.timedelta(days=30), tick=False):
        assert user_for_key(key) is None
        assert "caducada 2026-12-31 12:00" in apikey("list")


def test_a_key_lasts_a_year_by_default(personas):
    with time_machine.travel(NOON, tick=False):
        row, _ = create_key(personas.bob, "Central Aló MAC")
    assert row.expires_at == NOON + dt.timedelta(days=365)


def test_an_older_key_without_expiry_keeps_working(personas):
    row, key = create_key(personas.bob, "Central Aló MAC")
    ApiKey.objects.filter(pk=row.pk).update(expires_at=None)

    assert user_for_key(key) == personas.bob
    assert "activa, sin caducidad" in apikey("list")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--name", "x" * 101], "El nombre de la clave tiene como máximo 100 caracteres."),
        (["--name", "Kiosko", "--days", "0"], "Una clave vale de 1 a 1095 días; pidió 0."),
        (["--name", "Kiosko", "--days", "1096"], "Una clave vale de 1 a 1095 días; pidió 1096."),
    ],
)
def test_the_command_refuses_a_bad_name_or_lifetime(personas, options, message):
    with pytest.raises(CommandError) as refused:
        apikey("create", "--user", "bob", *options)

    assert str(refused.value) == message
    assert ApiKey.objects.count() == 0


def test_the_command_shows_the_expiry_and_revokes_by_the_listed_prefix(personas):
    with time_machine.travel(NOON, tick=False):
        created = apikey("create", "--user", "bob", "--name", "Kiosko", "--days", "90")
        row = ApiKey.objects.get()
        listed = apikey("list")
        revoked = apikey("revoke", f"mac_{row.prefix}_…")
        after = apikey("list")

    assert "Vale hasta el 2027-03-01 12:00." in created
    assert f"mac_{row.prefix}_…" in listed and "activa hasta 2027-03-01 12:00" in listed
    assert revoked == f"Clave mac_{row.prefix}_… (Kiosko) revocada.\n"
    assert "revocada 2026-12-01 12:00" in after
    with time_machine.travel(NOON + dt.timedelta(days=91), tick=False):
        assert "caducada" not in apikey("list")  # revoked says revoked
