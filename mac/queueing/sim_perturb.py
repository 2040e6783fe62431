"""Unseen days: scenarios of the same format, perturbed from a given one.

The `mac` policy is tuned and checked on these as well as on the files in
/work/shared/scenarios, so that it fits the problem rather than two days:
another seed, load +-20%, a different daily profile, other shares of
priority citizens, languages, second services and no-shows, other patience,
and other break patterns of the counters.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from mac.queueing.simulation import clock, hhmm


def _shift_profile(hours: dict[str, float], rng: random.Random, tilt: float) -> dict[str, float]:
    keys = sorted(hours)
    n = max(len(keys) - 1, 1)
    total = sum(hours.values())
    tilted = {k: hours[k] * (1.0 + tilt * (2.0 * i / n - 1.0)) for i, k in enumerate(keys)}
    scale = total / sum(tilted.values()) if sum(tilted.values()) else 1.0
    return {k: round(v * scale * rng.uniform(0.85, 1.15), 2) for k, v in tilted.items()}


def _breaks(
    periods: list[list[str]], rng: random.Random, day: tuple[float, float]
) -> list[list[str]]:
    open_, close = day
    kind = rng.random()
    if kind < 0.35:  # all day
        return [[hhmm(open_), hhmm(close)]]
    if kind < 0.85:  # a lunch break somewhere between 12:00 and 15:00
        length = rng.choice([30, 45, 60]) * 60.0
        start = clock("12:00") + rng.randrange(0, 11) * 15 * 60.0
        return [[hhmm(open_), hhmm(start)], [hhmm(start + length), hhmm(close)]]
    if kind < 0.93:  # a late start
        return [[hhmm(open_ + rng.choice([30, 60, 90]) * 60.0), hhmm(close)]]
    return [[hhmm(open_), hhmm(close - rng.choice([60, 120]) * 60.0)]]  # leaves early


def perturbed_day(base: dict[str, Any], seed: int) -> dict[str, Any]:
    rng = random.Random(f"perturb:{seed}")
    data = copy.deepcopy(base)
    data["name"] = f"{base.get('name', '')} — variante {seed}"
    data["seed"] = seed
    load = rng.uniform(0.8, 1.2)
    tilt = rng.uniform(-0.3, 0.3)
    for walk in data["walk_ins"]:
        factor = load * rng.uniform(0.85, 1.15)
        walk["per_hour"] = _shift_profile(
            {h: r * factor for h, r in walk["per_hour"].items()}, rng, tilt
        )
    appts = data["appointments"]
    for service, hours in appts["per_hour"].items():
        factor = load * rng.uniform(0.7, 1.3)
        appts["per_hour"][service] = _shift_profile(
            {h: r * factor for h, r in hours.items()}, rng, tilt
        )
    appts["no_show"] = round(rng.uniform(0.03, 0.1), 3)
    appts["arrive_early_min"] = {
        "mean": round(rng.uniform(0, 15), 1),
        "sd": round(rng.uniform(4, 12), 1),
    }
    citizens = data["citizens"]
    citizens["priority_share"] = round(rng.uniform(0.05, 0.25), 3)
    citizens["languages"] = {
        "qu": round(rng.uniform(0.0, 0.3), 3),
        "lsp": round(rng.uniform(0.0, 0.02), 3),
    }
    citizens["patience_min"] = {"mean": round(rng.uniform(45, 120))}
    citizens["second_service_share"] = round(rng.uniform(0.03, 0.15), 3)
    day = (clock(data["day"]["open"]), clock(data["day"]["close"]))
    for counter in data["counters"]:
        counter["open"] = _breaks(counter["open"], rng, day)
    return data
