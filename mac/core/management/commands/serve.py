import os
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


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
            "--no-worker",
            action="store_true",
            help="do not start the task worker (run `mac worker` elsewhere)",
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, no_worker: bool, **options: Any
    ) -> None:
        import uvicorn
        from django.core.management import call_command

        # Static files are served by WhiteNoise from STATIC_ROOT.
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None if no_worker else self._start_worker()
        self.stdout.write(f"Plataforma MAC en http://{host}:{port}/  (Ctrl+C para detener)")
        try:
            uvicorn.run(
                "mac.asgi:application",
                host=host,
                port=port,
                workers=workers,
                log_level="info",
                lifespan="off",  # Django has no lifespan handlers
            )
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
