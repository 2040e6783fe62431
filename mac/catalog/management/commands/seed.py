from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mac.catalog.seed import seed


class Command(BaseCommand):
    help = "Carga los datos de demostración (centros, entidades, servicios, usuarios)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="crea N-1 copias de cada servicio para pruebas de rendimiento (por defecto 1)",
        )

    def handle(self, *args: Any, scale: int, **options: Any) -> None:
        # What each step made, kept for the caller (the tests read it).
        self.results: dict[str, Any] = {}
        counts = seed(scale=scale, log=self.stdout.write)
        self.results["catalog"] = counts
        if scale == 1:
            from mac.queueing.seed import ADVISOR_PASSWORD, seed_queues

            self.results["queues"] = seed_queues(log=self.stdout.write)
            from mac.appointments.seed import seed_appointments

            seed_appointments(log=self.stdout.write)
            from mac.quality.seed import seed_quality, seed_sample_claims

            seed_quality(log=self.stdout.write)
            from mac.appointments.seed import seed_sample_bookings
            from mac.surveys.seed import seed_survey_answers

            self.results["samples"] = {
                "bookings": seed_sample_bookings(log=self.stdout.write),
                "claims": seed_sample_claims(log=self.stdout.write),
                "answers": seed_survey_answers(log=self.stdout.write),
            }
        users = counts["users"]
        self.stdout.write("")
        self.stdout.write("Usuarios de demostración (la contraseña solo se fija al crearlos):")
        headers = ("usuario", "rol", "ámbito", "contraseña")
        rows = [(u.username, u.role, u.scope, u.password) for u in users]
        widths = [max(len(str(r[i])) for r in (headers, *rows)) for i in range(4)]
        for row in (headers, tuple("-" * w for w in widths), *rows):
            cells = (str(v).ljust(w) for v, w in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        if scale == 1:
            self.stdout.write(
                f"Asesores de cada módulo (asesor.<centro>.<nn>): contraseña {ADVISOR_PASSWORD}"
            )
        self.stdout.write(
            "El personal ingresa en /personal/entrar/ (asesores: /centros/<centro>/modulo/, "
            "orientación: /centros/<centro>/orientacion/); el back office está en /admin/."
        )
