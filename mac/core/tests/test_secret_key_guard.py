"""The demo's SECRET_KEY is in the code: `mac serve` refuses it on any
address but the local host (so `make demo` still runs), and
`mac check --deploy` reports it; Django's own check lets it pass."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from mac.core.checks import check_secret_key
from mac.core.management.commands import serve


class TestServeRefusesTheDemoKey:
    @pytest.mark.parametrize("host", ["0.0.0.0", "10.1.0.5", "mac.gob.pe"])
    def test_it_will_not_serve_other_hosts_with_it(self, host, settings, monkeypatch):
        settings.SECRET_KEY = settings.DEV_SECRET_KEY
        started: list[str] = []
        monkeypatch.setattr("uvicorn.run", lambda **options: started.append(options["host"]))

        with pytest.raises(CommandError) as refused:
            call_command("serve", host=host, no_worker=True)

        assert str(refused.value) == (
            f"No se sirve en {host} con la SECRET_KEY de la demostración: defina SECRET_KEY "
            "(o SECRET_KEY_FILE) con una clave propia al azar, o sirva en 127.0.0.1."
        )
        assert started == []  # the server never started

    @pytest.mark.parametrize(
        ("host", "key"),
        [("127.0.0.1", "demo"), ("localhost", "demo"), ("0.0.0.0", "own")],
    )
    def test_it_serves_the_local_host_or_with_an_own_key(self, host, key, settings):
        settings.SECRET_KEY = settings.DEV_SECRET_KEY if key == "demo" else "x" * 60

        serve.check_key_for(host)  # no refusal


class TestDeployCheck:
    def test_it_reports_the_demo_key(self, settings):
        settings.SECRET_KEY = settings.DEV_SECRET_KEY

        (error,) = check_secret_key()

        assert error.id == "mac.E001"
        assert error.msg == (
            "SECRET_KEY es la clave de la demostración, que está publicada en el código."
        )
        with pytest.raises(SystemCheckError):
            call_command("check", "--deploy", stdout=StringIO(), stderr=StringIO())

    def test_an_own_key_passes(self, settings):
        settings.SECRET_KEY = "k" * 20 + "Zq9-" * 10

        assert check_secret_key() == []
