"""The policy aims of issue 3, checked day by day (`mac simulate --aims`).

Each day (a scenario file, or a perturbed variant of one: `sim_perturb`) is
replayed by `fifo` and by a candidate under common random numbers, and the
candidate's averages are held against fifo's:

- within target at least +2 points (the stretch: +5),
- p95, mean wait and abandonment not above fifo's,
- maximum wait at most 25 % above fifo's,
- priority citizens' mean wait not above fifo's and under 5 minutes,
- appointment holders within their target at least +8 points.

Days run in parallel processes (one per core); the result does not depend on
how many.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import statistics
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mac.queueing.policy import PolicyConfig
from mac.queueing.sim_day import history_p95, run_day
from mac.queueing.sim_perturb import perturbed_day
from mac.queueing.sim_stats import average, summarize_day
from mac.queueing.simulation import generate_citizens, parse_scenario, replication_seed

WITHIN_GAIN = 0.02
STRETCH_GAIN = 0.05
MAX_RATIO = 1.25
PRIORITY_CAP_MIN = 5.0
APPOINTMENT_GAIN = 0.08


@dataclass(frozen=True)
class DaySpec:
    label: str  # "center-weekday", "center-weekday:300"
    data: Mapping[str, Any]


def days_for(paths: Sequence[str | Path], seeds: Sequence[int]) -> list[DaySpec]:
    """Each file as it is, then its variants for `seeds`."""
    days = []
    for path in paths:
        base = json.loads(Path(path).read_text(encoding="utf-8"))
        stem = Path(path).stem
        days.append(DaySpec(stem, base))
        days += [DaySpec(f"{stem}:{seed}", perturbed_day(base, seed)) for seed in seeds]
    return days


def misses(fifo: Mapping[str, Any], cand: Mapping[str, Any]) -> list[str]:
    """The aims `cand` misses against `fifo` on one day, as short Spanish notes."""
    out = []
    gain = cand["within_target"] - fifo["within_target"]
    if gain < WITHIN_GAIN:
        out.append(f"ANS {100 * gain:+.1f} pts")
    for key, label in (("p95", "p95"), ("mean", "media")):
        d = cand["wait_min"][key] - fifo["wait_min"][key]
        if d > 0:
            out.append(f"{label} {d:+.2f}")
    if cand["abandoned"] > fifo["abandoned"]:
        out.append(f"abandonos {cand['abandoned'] - fifo['abandoned']:+.1f}")
    if cand["wait_min"]["max"] > MAX_RATIO * fifo["wait_min"]["max"]:
        out.append(f"máx ×{cand['wait_min']['max'] / fifo['wait_min']['max']:.2f}")
    pf, pc = fifo["priority"]["mean"], cand["priority"]["mean"]
    if pf is not None and pc is not None:
        if pc > pf:
            out.append(f"preferente {pc - pf:+.3f}")
        if pc >= PRIORITY_CAP_MIN:
            out.append(f"preferente {pc:.1f} ≥ 5")
    af, ac = fifo["appointments"]["within_target"], cand["appointments"]["within_target"]
    if af is not None and ac is not None and ac - af < APPOINTMENT_GAIN:
        out.append(f"citas {100 * (ac - af):+.1f} pts")
    return out


def _run(args: tuple[DaySpec, PolicyConfig, int]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Both policies on one day; the candidate's row also carries the standard
    error of its per-replication differences from fifo ("se") for the figures
    whose aim is "not above fifo's": a difference inside about two of them is
    chance, not the policy."""
    day, config, replications = args
    scenario = parse_scenario(day.data)
    fifo_days: list[dict[str, Any]] = []
    cand_days: list[dict[str, Any]] = []
    history = history_p95(scenario, config, scenario.seed)
    for rep in range(replications):
        citizens = generate_citizens(scenario, replication_seed(scenario.seed, rep))
        for config_, out, past in (
            (PolicyConfig("fifo"), fifo_days, None),
            (config, cand_days, history),
        ):
            out.append(summarize_day(scenario, run_day(scenario, citizens, config_, False, past)))
    fifo, cand = average(fifo_days), average(cand_days)
    se = {}
    for key, get in SE_FIGURES.items():
        diffs = [
            get(c) - get(f)
            for f, c in zip(fifo_days, cand_days, strict=True)
            if get(c) is not None and get(f) is not None
        ]
        se[key] = statistics.stdev(diffs) / math.sqrt(len(diffs)) if len(diffs) > 1 else None
    cand["se"] = se
    return day.label, fifo, cand


SE_FIGURES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "p95": lambda d: d["wait_min"]["p95"],
    "mean": lambda d: d["wait_min"]["mean"],
    "priority": lambda d: d["priority"]["mean"],
}


def evaluate(
    days: Sequence[DaySpec],
    config: PolicyConfig,
    replications: int = 40,
    workers: int | None = None,
    log: Callable[[str], None] = lambda msg: None,
) -> list[dict[str, Any]]:
    """One row per day: fifo's and the candidate's averages and the missed aims."""
    jobs = [(day, config, replications) for day in days]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    with contextlib.ExitStack() as stack:
        run: Callable[..., Iterator[tuple[str, dict[str, Any], dict[str, Any]]]] = map
        if workers > 1:
            run = stack.enter_context(ProcessPoolExecutor(max_workers=workers)).map
        rows = []
        for n, (label, fifo, cand) in enumerate(run(_run, jobs), 1):  # in the order of days
            rows.append(
                {"day": label, "fifo": fifo, "candidate": cand, "missed": misses(fifo, cand)}
            )
            log(f"  {n}/{len(jobs)} {label}")
    return rows


def format_aims(rows: Sequence[dict[str, Any]], name: str) -> str:
    """A Markdown table, fifo → candidate per day, and a one-line summary."""
    head = (
        "| día | dentro del ANS % | p95 min | media min | máx min | abandonos "
        "| preferente media (± e.e.) | citas dentro % | no cumple |"
    )
    lines = [f"fifo → {name}", "", head, "|" + " --- |" * 9]
    for r in rows:
        f, c = r["fifo"], r["candidate"]
        pf, pc = f["priority"]["mean"] or 0.0, c["priority"]["mean"] or 0.0
        pse = (c.get("se") or {}).get("priority") or 0.0
        af = f["appointments"]["within_target"] or 0.0
        ac = c["appointments"]["within_target"] or 0.0
        lines.append(
            f"| {r['day']} "
            f"| {100 * f['within_target']:.1f}→{100 * c['within_target']:.1f} "
            f"({100 * (c['within_target'] - f['within_target']):+.1f}) "
            f"| {f['wait_min']['p95']:.2f}→{c['wait_min']['p95']:.2f} "
            f"| {f['wait_min']['mean']:.2f}→{c['wait_min']['mean']:.2f} "
            f"| {f['wait_min']['max']:.0f}→{c['wait_min']['max']:.0f} "
            f"| {f['abandoned']:.1f}→{c['abandoned']:.1f} "
            f"| {pf:.3f}→{pc:.3f} ({pc - pf:+.3f} ± {pse:.3f}) "
            f"| {100 * af:.1f}→{100 * ac:.1f} "
            f"| {', '.join(r['missed']) or '—'} |"
        )
    met = sum(1 for r in rows if not r["missed"])
    total_missed = sum(len(r["missed"]) for r in rows)
    gain = sum(r["candidate"]["within_target"] - r["fifo"]["within_target"] for r in rows)
    lines += [
        "",
        f"Cumple todo en {met} de {len(rows)} días; {total_missed} metas no cumplidas; "
        f"dentro del ANS {100 * gain / max(len(rows), 1):+.2f} pts en promedio.",
    ]
    return "\n".join(lines)
