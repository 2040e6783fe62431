"""`mac bench search`: server-side latency of catalog search at 1x and 10x."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.test import Client

from mac.catalog import search
from mac.catalog.data.search_cases import SEARCH_CASES
from mac.catalog.models import Service
from mac.core.bench import machine, summary_ms, timed


def bench_search(
    *, scales: list[int], rounds: int, log: Callable[[str], None], **options: Any
) -> dict[str, Any]:
    from mac.catalog.seed import seed

    queries = [case[0] for case in SEARCH_CASES]
    client = Client(HTTP_HOST="127.0.0.1")
    rows: list[dict[str, Any]] = []
    for scale in sorted(scales):
        log(f"Catálogo x{scale}: cargando...")
        seed(scale=scale)
        services = Service.objects.published().count()
        search.invalidate()
        build = timed(search.get_index)
        for q in queries:  # warm-up: caches, connections
            search_services_page(q)
        engine: list[float] = []
        api: list[float] = []
        log(f"Catálogo x{scale}: {services} servicios, {rounds} x {len(queries)} búsquedas")
        for _ in range(rounds):
            for q in queries:
                engine.append(timed(partial(search_services_page, q)))
                api.append(timed(partial(client.get, "/api/v1/services", {"q": q})))
        rows.append(
            {
                "scale": scale,
                "services": services,
                "index_build_ms": round(build * 1000, 1),
                "search": summary_ms(engine),
                "api": summary_ms(api),
            }
        )
    lines = [
        f"mac bench search — {machine()}",
        "scale  services  index build   search p50 / p95      API request p50 / p95",
    ]
    for r in rows:
        s, a = r["search"], r["api"]
        lines.append(
            f"x{r['scale']:<5} {r['services']:>8}  {r['index_build_ms']:>8.0f} ms"
            f"   {s['p50_ms']:>6.2f} / {s['p95_ms']:>6.2f} ms"
            f"    {a['p50_ms']:>6.2f} / {a['p95_ms']:>6.2f} ms"
        )
    return {"benchmark": "search", "machine": machine(), "rows": rows, "table": "\n".join(lines)}


def search_services_page(query: str) -> list[Service]:
    """What the results page does: rank, then load the first page of services."""
    return search.search_services(query)[:20]
