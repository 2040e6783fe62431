"""Staffing what-if: which single added skill helps most (`mac simulate --cross-train`).

Each candidate adds one service of the counter's own entity to one counter.
Every candidate and the baseline replay the same citizens (common random
numbers), so differences come from the skill, not from chance. A short
screening with a few replications ranks all candidates; the best few are then
confirmed with more replications.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from mac.queueing.policy import PolicyConfig
from mac.queueing.sim_day import history_p95, run_day
from mac.queueing.sim_stats import summarize_day
from mac.queueing.simulation import Citizen, Scenario, generate_citizens, replication_seed


def candidates(scenario: Scenario) -> list[tuple[str, str]]:
    """(counter, service) pairs: a service of its entity that a counter lacks."""
    out = []
    for counter in scenario.counters:
        for code, spec in sorted(scenario.services.items()):
            if spec.entity == counter.entity and code not in counter.services:
                out.append((counter.id, code))
    return out


def with_skill(scenario: Scenario, counter_id: str, service: str) -> Scenario:
    counters = tuple(
        replace(c, services=(*c.services, service)) if c.id == counter_id else c
        for c in scenario.counters
    )
    return replace(scenario, counters=counters)


def _score(
    scenario: Scenario, days: list[list[Citizen]], config: PolicyConfig, history: float | None
) -> tuple[float, float]:
    """Mean wait (min) and within-target share, averaged over the given days."""
    waits, within = 0.0, 0.0
    for citizens in days:
        record = run_day(scenario, citizens, config, False, history)
        summary = summarize_day(scenario, record)
        waits += summary["wait_min"]["mean"] or 0.0
        within += summary["within_target"] or 0.0
    return waits / len(days), within / len(days)


def cross_train(
    scenario: Scenario,
    config: PolicyConfig,
    seed: int,
    top: int = 5,
    screen_replications: int = 3,
    confirm_replications: int = 10,
    log: Callable[[str], None] = lambda msg: None,
) -> dict[str, Any]:
    """The added skills that raise within_target most (ties: cut the mean wait most)."""
    confirm_replications = max(confirm_replications, screen_replications)
    days = [
        generate_citizens(scenario, replication_seed(seed, r)) for r in range(confirm_replications)
    ]
    screen = days[:screen_replications]
    # The past weeks were staffed as today: a new skill changes the days to
    # come, not the history the policy reads the morning after the training.
    history = history_p95(scenario, config, seed)
    base_wait, base_within = _score(scenario, screen, config, history)
    found = candidates(scenario)
    log(
        f"Capacitación cruzada: {len(found)} combinaciones, {screen_replications} réplicas cada una"
    )
    ranked = []
    for counter_id, service in found:
        wait, within = _score(with_skill(scenario, counter_id, service), screen, config, history)
        ranked.append((within - base_within, base_wait - wait, counter_id, service))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2], r[3]))
    best = ranked[: max(top, 0)]
    log(f"Confirmando las {len(best)} mejores con {confirm_replications} réplicas")
    base_wait, base_within = _score(scenario, days, config, history)
    confirmed: list[dict[str, Any]] = []
    for _, _, counter_id, service in best:
        wait, within = _score(with_skill(scenario, counter_id, service), days, config, history)
        confirmed.append(
            {
                "counter": counter_id,
                "service": service,
                "within_target": round(within, 4),
                "within_target_gain": round(within - base_within, 4),
                "wait_mean_min": round(wait, 3),
                "wait_mean_cut_min": round(base_wait - wait, 3),
            }
        )
    confirmed.sort(key=lambda r: (-r["within_target_gain"], -r["wait_mean_cut_min"]))
    return {
        "policy": config.name,
        "candidates": len(found),
        "screen_replications": screen_replications,
        "confirm_replications": confirm_replications,
        "baseline": {"within_target": round(base_within, 4), "wait_mean_min": round(base_wait, 3)},
        "best": confirmed,
    }
