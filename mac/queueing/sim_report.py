"""The readable (Spanish) table of `mac simulate`: policies side by side."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Getter = Callable[[dict[str, Any]], Any]

ROWS: list[tuple[str, Getter, str]] = [
    ("Ciudadanos", lambda r: r["citizens"], "n"),
    ("Tickets", lambda r: r["tickets"], "n"),
    ("Atendidos", lambda r: r["served"], "n"),
    ("Abandonos", lambda r: r["abandoned"], "n"),
    ("  sin asesor posible (idioma)", lambda r: r["unservable"], "n"),
    ("Espera media (min)", lambda r: r["wait_min"]["mean"], "m"),
    ("Espera p50 (min)", lambda r: r["wait_min"]["p50"], "m"),
    ("Espera p90 (min)", lambda r: r["wait_min"]["p90"], "m"),
    ("Espera p95 (min)", lambda r: r["wait_min"]["p95"], "m"),
    ("Espera máxima (min)", lambda r: r["wait_min"]["max"], "m"),
    ("Dentro del ANS", lambda r: r["within_target"], "%"),
    ("Preferente: media (min)", lambda r: r["priority"]["mean"], "m"),
    ("Preferente: máxima (min)", lambda r: r["priority"]["max"], "m"),
    ("Citas: dentro del objetivo", lambda r: r["appointments"]["within_target"], "%"),
    ("Citas: espera media (min)", lambda r: r["appointments"]["mean_min"], "m"),
    ("Quechua: espera media (min)", lambda r: (r["languages"].get("qu") or {}).get("mean"), "m"),
    ("LSP: espera media (min)", lambda r: (r["languages"].get("lsp") or {}).get("mean"), "m"),
    ("Ocupación de módulos", lambda r: r["utilization"], "%"),
    ("Estimación nuevo: error medio (min)", lambda r: r["estimate"]["new"]["mae_min"], "m"),
    ("Estimación nuevo: p90 del error (min)", lambda r: r["estimate"]["new"]["p90_abs_min"], "m"),
    ("Estimación en espera: error medio (min)", lambda r: r["estimate"]["waiting"]["mae_min"], "m"),
]


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "%":
        return f"{100 * value:.1f} %"
    if kind == "m":
        return f"{value:.1f}"
    return f"{value:g}"


def _diff(a: Any, b: Any, kind: str) -> str:
    if a is None or b is None:
        return "—"
    if kind == "%":
        return f"{100 * (b - a):+.1f} pts"
    if kind == "m":
        return f"{b - a:+.1f}"
    return f"{b - a:+g}"


def _get(row: dict[str, Any], getter: Getter) -> Any:
    try:
        return getter(row)
    except (KeyError, TypeError):
        return None


def format_table(title: str, results: Sequence[dict[str, Any]], seconds: float) -> str:
    names = [r["policy"] for r in results]
    header = ["Indicador", *names]
    if len(results) > 1:
        header += [f"{n} − {names[0]}" for n in names[1:]]
    lines = [[label] for label, _, _ in ROWS]
    for line, (_, getter, kind) in zip(lines, ROWS, strict=True):
        values = [_get(r, getter) for r in results]
        line += [_cell(v, kind) for v in values]
        line += [_diff(values[0], v, kind) for v in values[1:]]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )

    reps = results[0]["replications"] if results else 0
    out = [
        title,
        f"{reps} réplicas (mismos ciudadanos para cada política), {seconds:.1f} s",
        "",
        fmt(header),
        "  ".join("-" * w for w in widths),
    ]
    out += [fmt(row) for row in lines]
    for r in results:
        ct = r.get("cross_train")
        if not ct:
            continue
        base = ct["baseline"]
        out += [
            "",
            f"Capacitación cruzada ({r['policy']}): {ct['candidates']} habilidades posibles; "
            f"base {100 * base['within_target']:.1f} % dentro del ANS, "
            f"espera media {base['wait_mean_min']:.2f} min",
        ]
        for n, best in enumerate(ct["best"], 1):
            out.append(
                f"  {n}. {best['counter']} + {best['service']}: "
                f"{100 * best['within_target_gain']:+.1f} pts dentro del ANS, "
                f"espera media {-best['wait_mean_cut_min']:+.2f} min"
            )
    return "\n".join(out)
