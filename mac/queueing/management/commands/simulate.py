"""`mac simulate SCENARIO.json`: replay a day through the routing policies."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mac.queueing.policy import POLICIES, PolicyConfig
from mac.queueing.simulation import Scenario


class Command(BaseCommand):
    help = (
        "Simula un día de un Centro MAC con las políticas de llamado del proyecto "
        "(mismos ciudadanos para cada política). Formato: /work/shared/scenarios/FORMAT.md"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scenario", nargs="+", help="archivos JSON de escenarios")
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
            "--aims",
            action="store_true",
            help="contrasta la última política con fifo día por día frente a las metas "
            "del proyecto (tabla Markdown)",
        )
        parser.add_argument(
            "--unseen",
            default="",
            metavar="SEMILLAS",
            help="con --aims: añade días variados de cada escenario, p. ej. 500-503 o 7,9",
        )
        parser.add_argument(
            "--params",
            default=None,
            help="parámetros de la política (JSON), p. ej. '{\"urgency\": 2}'",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from mac.queueing.simulation import load_scenario

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
        quiet = options["json"]
        log = (lambda msg: None) if quiet else (lambda msg: self.stderr.write(msg))
        if options["aims"]:
            self.aims(options, configs[-1], log)
            return
        scenarios = []
        for path in options["scenario"]:
            try:
                scenarios.append((path, load_scenario(path)))
            except (OSError, ValueError, KeyError) as exc:
                raise CommandError(f"No se pudo leer el escenario {path}: {exc}") from None
        outputs = {
            path: self.one(scenario, path, configs, options, log) for path, scenario in scenarios
        }
        if quiet:  # one scenario: its list of results, as always; several: by file
            value = next(iter(outputs.values())) if len(outputs) == 1 else outputs
            self.stdout.write(json.dumps(value, indent=1, ensure_ascii=False))

    def one(
        self,
        scenario: Scenario,
        path: str,
        configs: list[PolicyConfig],
        options: dict[str, Any],
        log: Callable[[str], None],
    ) -> list[dict[str, Any]]:
        from mac.queueing.sim_crosstrain import cross_train
        from mac.queueing.sim_report import format_table
        from mac.queueing.simulation import simulate

        seed = scenario.seed if options["seed"] is None else options["seed"]

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
        if not options["json"]:
            title = f"Simulación: {scenario.name or path}"
            self.stdout.write(format_table(title, results, seconds))
        return results

    def aims(
        self, options: dict[str, Any], config: PolicyConfig, log: Callable[[str], None]
    ) -> None:
        from mac.queueing.sim_aims import days_for, evaluate, format_aims
        from mac.queueing.simulation import parse_scenario

        if config.name == "fifo":
            raise CommandError("--aims compara una política con fifo: --policy fifo,mac")
        seeds = parse_seeds(options["unseen"])
        try:
            days = days_for(options["scenario"], seeds)
            for day in days:
                parse_scenario(day.data)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"No se pudo leer el escenario: {exc}") from None
        log(f"{len(days)} días × {options['replications']} réplicas, fifo y {config.name}")
        started = time.perf_counter()
        rows = evaluate(days, config, options["replications"], log=log)
        seconds = time.perf_counter() - started
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=1, ensure_ascii=False))
        else:
            self.stdout.write(format_aims(rows, config.name))
            self.stdout.write(f"{seconds:.0f} s")


def parse_seeds(text: str) -> list[int]:
    """ "500-503" or "7,9,11" (or both, comma-separated) as a list of seeds."""
    seeds: list[int] = []
    try:
        for part in filter(None, (p.strip() for p in text.split(","))):
            lo, _, hi = part.partition("-")
            seeds += list(range(int(lo), int(hi) + 1)) if hi else [int(lo)]
    except ValueError:
        raise CommandError(f"--unseen lleva semillas como 500-503 o 7,9: {text!r}") from None
    return seeds
