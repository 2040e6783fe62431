"""Shared pieces of the benchmarks: a scratch database and percentiles."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "max_ms": round(max(ms), 2),
    }


def timed(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def machine() -> dict[str, Any]:
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "database": connection.vendor,
    }


@contextmanager
def scratch_database(
    *, keep: bool = False, log: Callable[[str], None], name: str = "mac"
) -> Iterator[None]:
    """Run inside a freshly migrated database (Django's test database: an SQLite
    file or a PostgreSQL `bench_<name>` database), never the user's data; one
    per benchmark (`name`: the benchmark's, or `mac bench --scratch`), so that
    two benchmarks, or two versions of one, can run at once."""
    from django.conf import settings

    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(settings.BASE_DIR / f"bench-{name}.sqlite3")  # a file, as in production
    else:
        test["NAME"] = f"bench_{name}"
    log(f"Base de datos de prueba ({connection.vendor}): migrando...")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keep)
