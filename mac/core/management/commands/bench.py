"""`mac bench <name>`: benchmarks that measure, never assert (docs/performance.md)."""

from __future__ import annotations

import json
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

BENCHMARKS = {
    "search": "mac.catalog.bench:bench_search",
    "queue": "mac.queueing.bench:bench_queue",
    "board": "mac.screens.bench:bench_board",
    "booking": "mac.appointments.bench:bench_booking",
}


class Command(BaseCommand):
    help = "Run a benchmark in a scratch database: " + ", ".join(BENCHMARKS)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(BENCHMARKS))
        parser.add_argument("--json", action="store_true", help="print the results as JSON")
        parser.add_argument(
            "--keep-db", action="store_true", help="reuse the scratch database if it exists"
        )
        parser.add_argument(
            "--scratch",
            default="",
            help="scratch database's name after bench_ (default: the benchmark's name); "
            "two runs at once, of two versions, need two names",
        )
        search = parser.add_argument_group("search")
        search.add_argument("--rounds", type=int, default=5, help="passes over the query set")
        search.add_argument(
            "--scales", default="1,10", help="catalog sizes to measure, as multiples of the demo"
        )
        queue = parser.add_argument_group("queue")
        queue.add_argument("--counters", type=int, default=40, help="advisor clients")
        queue.add_argument("--kiosks", type=int, default=10, help="kiosk clients")
        queue.add_argument("--rate", type=float, default=100.0, help="steady load, ops/s")
        queue.add_argument("--duration", type=float, default=20.0, help="seconds per phase")
        queue.add_argument("--policy", default="mac", help="routing policy of the center")
        queue.add_argument("--processes", type=int, default=4, help="client processes")
        booking = parser.add_argument_group("booking")
        booking.add_argument("--bookings-rate", type=float, default=50.0, help="bookings/s")
        booking.add_argument("--booking-clients", type=int, default=48, help="booking clients")
        booking.add_argument("--race", type=int, default=200, help="requests for one place")
        board = parser.add_argument_group("board")
        board.add_argument("--clients", type=int, default=200, help="SSE clients on one board")
        board.add_argument("--calls", type=int, default=30, help="tickets called")

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        from mac.core.bench import scratch_database

        module_name, func_name = BENCHMARKS[name].split(":")
        func = getattr(import_module(module_name), func_name)
        try:
            options["scales"] = [int(s) for s in options["scales"].split(",") if s]
        except ValueError:
            raise CommandError("--scales lleva enteros separados por comas, p. ej. 1,10") from None
        as_json = options.pop("json")
        log = (lambda msg: None) if as_json else (lambda msg: self.stderr.write(msg))
        scratch = options.pop("scratch") or name
        if not scratch.replace("_", "").isalnum() or not scratch.isascii():
            raise CommandError("--scratch lleva letras, cifras y _ (p. ej. queue_old)")
        with scratch_database(keep=options.pop("keep_db"), log=log, name=scratch):
            result = func(log=log, **options)
        if as_json:
            result.pop("table", None)
            self.stdout.write(json.dumps(result, indent=1, ensure_ascii=False))
        else:
            self.stdout.write(result["table"])
