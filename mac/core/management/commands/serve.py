import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the platform with uvicorn (ASGI) on 127.0.0.1:PORT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        import uvicorn
        from django.core.management import call_command

        # Static files are served by WhiteNoise from STATIC_ROOT.
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Plataforma MAC en http://{host}:{port}/  (Ctrl+C para detener)")
        uvicorn.run(
            "mac.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            lifespan="off",  # Django has no lifespan handlers
        )
