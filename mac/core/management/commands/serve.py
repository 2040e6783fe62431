import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

# Where a reverse proxy usually runs: on the same host.
TRUSTED_PROXIES = "127.0.0.1,::1"
LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def check_key_for(host: str) -> None:
    """The demo's SECRET_KEY is published with the code: sessions, kiosk
    devices and citizens' links signed with it can be forged. Serving with it
    is for the local host only (`make demo`)."""
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY and host not in LOCAL_HOSTS:
        raise CommandError(
            f"No se sirve en {host} con la SECRET_KEY de la demostración: defina "
            "SECRET_KEY (o SECRET_KEY_FILE) con una clave propia al azar, o sirva en 127.0.0.1."
        )


def server_options(host: str, port: int, workers: int, forwarded_allow_ips: str) -> dict[str, Any]:
    """uvicorn's settings. Behind a proxy listed in `forwarded_allow_ips`, the
    request's client (Django's REMOTE_ADDR) is the nearest address in
    X-Forwarded-For that is not one of those proxies; from anyone else the
    header is ignored."""
    return {
        "app": "mac.asgi:application",
        "host": host,
        "port": port,
        "workers": workers,
        "log_level": "info",
        "lifespan": "off",  # Django has no lifespan handlers
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
    }


class Command(BaseCommand):
    help = (
        "Serve the platform with uvicorn (ASGI) on 127.0.0.1:PORT, with a background "
        "task worker (`mac worker`) next to it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument(
            "--forwarded-allow-ips",
            default=os.environ.get("FORWARDED_ALLOW_IPS", TRUSTED_PROXIES),
            help=(
                "addresses of the reverse proxies whose X-Forwarded-For names the citizen "
                "(comma-separated IPs or networks; default the local host). The per-address "
                "limits of the complaints book and the appointments read the citizen's address "
                "from it: behind a proxy not listed here every citizen has the proxy's address."
            ),
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the task worker (run `mac worker` elsewhere)",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        no_worker: bool,
        forwarded_allow_ips: str,
        **options: Any,
    ) -> None:
        import uvicorn
        from django.core.management import call_command

        check_key_for(host)
        # Static files are served by WhiteNoise from STATIC_ROOT.
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None if no_worker else self._start_worker()
        self.stdout.write(f"Plataforma MAC en http://{host}:{port}/  (Ctrl+C para detener)")
        try:
            uvicorn.run(**server_options(host, port, workers, forwarded_allow_ips))
        finally:
            if worker is not None:
                self._stop_worker(worker)

    def _start_worker(self) -> subprocess.Popen[bytes]:
        self.stdout.write("Iniciando el procesador de tareas (correos, SMS, recordatorios)...")
        # Its own session: Ctrl+C reaches the server only, and the server then
        # stops the worker once, letting it finish the task it is running.
        return subprocess.Popen(
            [sys.executable, "-m", "mac.cli", "worker", "--no-reload"],
            start_new_session=True,
        )

    def _stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is not None:
            return
        self.stdout.write("Deteniendo el procesador de tareas...")
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
