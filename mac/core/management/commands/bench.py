"""`mac bench <name>`: benchmarks that measure, never assert (docs/performance.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

BENCHMARKS = {
    "search": "mac.catalog.bench:bench_search",
}


class Command(BaseCommand):
    help = "Run a benchmark in a scratch database: " + ", ".join(BENCHMARKS)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(BENCHMARKS))
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument("--rounds", type=int, default=5, help="passes over the query set")
        parser.add_argument(
            "--scales", default="1,10", help="catalog sizes to measure, as multiples of the demo"
        )
        parser.add_argument(
            "--keep-db", action="store_true", help="reuse the scratch database if it exists"
        )

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        from importlib import import_module

        from mac.core.bench import scratch_database

        module_name, func_name = BENCHMARKS[name].split(":")
        func = getattr(import_module(module_name), func_name)
        try:
            scales = [int(s) for s in options["scales"].split(",") if s]
        except ValueError:
            raise CommandError("--scales lleva enteros separados por comas, p. ej. 1,10") from None
        log = (lambda msg: None) if options["json"] else (lambda msg: self.stderr.write(msg))
        with scratch_database(keep=options["keep_db"], log=log):
            result = func(scales=scales, rounds=options["rounds"], log=log)
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=1, ensure_ascii=False))
        else:
            self.stdout.write(result["table"])
