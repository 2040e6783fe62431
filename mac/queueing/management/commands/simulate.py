"""`mac simulate SCENARIO.json`: replay a day through the routing policies."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mac.queueing.policy import POLICIES, PolicyConfig


class Command(BaseCommand):
    help = (
        "Simula un día de un Centro MAC con las políticas de llamado del proyecto "
        "(mismos ciudadanos para cada política). Formato: /work/shared/scenarios/FORMAT.md"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scenario", help="archivo JSON del escenario")
        parser.add_argument("--policy", default="fifo,mac", help="políticas separadas por comas")
        parser.add_argument("--replications", type=int, default=20, help="días simulados")
        parser.add_argument(
            "--seed", type=int, default=None, help="semilla (por defecto la del escenario)"
        )
        parser.add_argument("--json", action="store_true", help="resultado en JSON")
        parser.add_argument(
            "--cross-train",
            nargs="?",
            type=int,
            const=5,
            default=None,
            metavar="K",
            help="qué habilidad añadida a un módulo mejora más (las K mejores, 5 por defecto)",
        )
        parser.add_argument(
            "--params",
            default=None,
            help="parámetros de la política (JSON), p. ej. '{\"urgency\": 2}'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from mac.queueing.sim_crosstrain import cross_train
        from mac.queueing.sim_report import format_table
        from mac.queueing.simulation import load_scenario, simulate

        try:
            scenario = load_scenario(options["scenario"])
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"No se pudo leer el escenario: {exc}") from None
        names = [n.strip() for n in options["policy"].split(",") if n.strip()]
        unknown = [n for n in names if n not in POLICIES]
        if not names or unknown:
            raise CommandError(
                f"Política desconocida: {', '.join(unknown) or '(ninguna)'}; "
                f"disponibles: {', '.join(sorted(POLICIES))}"
            )
        if options["replications"] < 1:
            raise CommandError("--replications debe ser 1 o más")
        try:
            params = json.loads(options["params"]) if options["params"] else {}
        except json.JSONDecodeError:
            raise CommandError("--params lleva un objeto JSON") from None
        configs = [PolicyConfig(name=n, params=params if n != "fifo" else {}) for n in names]
        seed = scenario.seed if options["seed"] is None else options["seed"]
        quiet = options["json"]
        log = (lambda msg: None) if quiet else (lambda msg: self.stderr.write(msg))

        started = time.perf_counter()
        results = simulate(scenario, configs, options["replications"], seed)
        if options["cross_train"] is not None:
            chosen = configs[-1]
            results[-1]["cross_train"] = cross_train(
                scenario,
                chosen,
                seed,
                top=options["cross_train"],
                confirm_replications=min(options["replications"], 10),
                log=log,
            )
        seconds = time.perf_counter() - started
        if quiet:
            self.stdout.write(json.dumps(results, indent=1, ensure_ascii=False))
        else:
            title = f"Simulación: {scenario.name or options['scenario']}"
            self.stdout.write(format_table(title, results, seconds))
