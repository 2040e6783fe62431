import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Migrate, load the demo data (printing the staff passwords) and serve, with the "
        "background task worker (mails are written to var/mail/, SMS to the console)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-serve", action="store_true", help="prepare the data only")

    def handle(self, *args: Any, port: int, host: str, no_serve: bool, **options: Any) -> None:
        self.stdout.write("1/3 Migrando la base de datos...")
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write("2/3 Cargando los datos de demostración...")
        call_command("seed", stdout=self.stdout)
        if no_serve:
            return
        self.stdout.write("3/3 Iniciando el servidor y el procesador de tareas...")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(f"Los correos se guardan como archivos en {settings.EMAIL_FILE_PATH}")
        if settings.SMS_BACKEND.endswith("sms.ConsoleBackend"):
            self.stdout.write("Los SMS se muestran en esta consola.")
        call_command("serve", host=host, port=port)
