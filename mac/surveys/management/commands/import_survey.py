"""`mac import_survey FILE.csv --year 2025 [--replace]`: import a year of the
annual citizen satisfaction survey (columns: mac/surveys/annual.py). A file
with any error is refused with the line numbers, and nothing is imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mac.surveys import actions, annual
from mac.surveys.errors import ImportRefused, SurveyError


class Command(BaseCommand):
    help = "Importa la encuesta anual de satisfacción desde un archivo CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="archivo CSV (UTF-8)")
        parser.add_argument("--year", type=int, required=True, help="año de la encuesta")
        parser.add_argument(
            "--replace", action="store_true", help="reemplaza el año si ya fue importado"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"No se pudo leer {path}: {exc.strerror}") from None
        try:
            rows = annual.read(data)
            batch = actions.import_annual(
                rows, year=options["year"], filename=path.name, replace=options["replace"]
            )
        except ImportRefused as refused:
            raise CommandError("\n".join([refused.message, *refused.errors])) from None
        except SurveyError as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Encuesta anual {batch.year}: {batch.rows} respuestas importadas de {path.name}."
            )
        )
