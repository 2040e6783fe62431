"""Queue simulation: one day of a Centro MAC replayed through the project's own
routing code (`mac.queueing.policy.choose`) with a simulated clock.

The scenario format and the output keys are specified in
/work/shared/scenarios/FORMAT.md (see docs/performance.md, "Queue simulation").
This module reads scenarios and draws the citizens of a day; `sim_day` runs the
event loop, `sim_stats` turns the records into figures, `sim_crosstrain` is the
staffing what-if.

Common random numbers: every random quantity of a citizen (arrival, service,
priority, language, patience, service durations, second service, appointment
no-show and arrival offset) is drawn once per replication, from a seed derived
from the scenario seed and the replication index, and the same list of
citizens is replayed under every policy and every what-if.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mac.queueing.policy import PolicyConfig

MINUTE = 60.0


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    entity: str
    mean: float  # seconds
    cv: float
    target: float  # seconds


@dataclass(frozen=True)
class CounterSpec:
    id: str
    entity: str
    services: tuple[str, ...]
    languages: tuple[str, ...]
    periods: tuple[tuple[float, float], ...]  # staffed periods, seconds since midnight


@dataclass(frozen=True)
class Scenario:
    name: str
    seed: int
    open: float
    close: float
    services: Mapping[str, ServiceSpec]
    counters: tuple[CounterSpec, ...]
    walk_ins: Mapping[str, Mapping[int, float]]  # service -> hour -> citizens/hour
    appointments: Mapping[str, Mapping[int, float]]  # service -> hour -> bookings/hour
    no_show: float
    early_mean: float  # seconds before the slot (negative: late)
    early_sd: float
    appointment_target: float  # seconds
    priority_share: float
    languages: Mapping[str, float]  # language -> share; the rest need "es"
    patience_mean: float  # seconds
    second_share: float


@dataclass(frozen=True)
class Citizen:
    """One person who comes to the center, with everything chance decides."""

    id: int
    arrival: float  # check-in at the orientation desk
    service: str
    priority: bool
    language: str
    patience: float  # seconds a waiting citizen stays
    duration: float  # seconds of the first service
    slot: float | None = None  # appointment holders only
    second: tuple[str, float, float] | None = None  # (service, duration, patience)
    came: bool = True  # False: a booking whose holder never came (kept for `upcoming`)


def clock(text: str) -> float:
    """ "08:30" -> seconds since midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 3600.0 + int(minutes) * MINUTE


def hhmm(seconds: float) -> str:
    minutes = round(seconds / MINUTE)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_scenario(data: Mapping[str, Any]) -> Scenario:
    services = {
        s["code"]: ServiceSpec(
            code=s["code"],
            entity=s["entity"],
            mean=float(s["service_min"]["mean"]) * MINUTE,
            cv=float(s["service_min"].get("cv", 0.5)),
            target=float(s["target_wait_min"]) * MINUTE,
        )
        for s in data["services"]
    }
    counters = tuple(
        CounterSpec(
            id=c["id"],
            entity=c["entity"],
            services=tuple(c["services"]),
            languages=tuple(c.get("languages", ["es"])),
            periods=tuple((clock(a), clock(b)) for a, b in c["open"]),
        )
        for c in data["counters"]
    )
    walk_ins = {
        w["service"]: {int(h): float(r) for h, r in w["per_hour"].items()}
        for w in data.get("walk_ins", [])
    }
    appts = data.get("appointments", {})
    citizens = data.get("citizens", {})
    early = appts.get("arrive_early_min", {})
    return Scenario(
        name=data.get("name", ""),
        seed=int(data.get("seed", 0)),
        open=clock(data["day"]["open"]),
        close=clock(data["day"]["close"]),
        services=services,
        counters=counters,
        walk_ins=walk_ins,
        appointments={
            svc: {int(h): float(r) for h, r in hours.items()}
            for svc, hours in appts.get("per_hour", {}).items()
        },
        no_show=float(appts.get("no_show", 0.0)),
        early_mean=float(early.get("mean", 0.0)) * MINUTE,
        early_sd=float(early.get("sd", 0.0)) * MINUTE,
        appointment_target=float(appts.get("target_wait_min", 5)) * MINUTE,
        priority_share=float(citizens.get("priority_share", 0.0)),
        languages={k: float(v) for k, v in citizens.get("languages", {}).items()},
        patience_mean=float(citizens.get("patience_min", {}).get("mean", 75)) * MINUTE,
        second_share=float(citizens.get("second_service_share", 0.0)),
    )


def load_scenario(path: str | Path) -> Scenario:
    with open(path, encoding="utf-8") as f:
        return parse_scenario(json.load(f))


def replication_seed(seed: int, replication: int) -> str:
    # A string seed is hashed with SHA-512 by `random`: stable across runs and
    # platforms, and independent of PYTHONHASHSEED.
    return f"mac-simulate:{seed}:{replication}"


def history_seed(seed: int, week: int) -> str:
    """The citizens of the same weekday `week` weeks before (`sim_day.history_p95`),
    apart from every replication's."""
    return f"mac-history:{seed}:{week}"


def _lognormal(rng: random.Random, mean: float, cv: float) -> float:
    if cv <= 0:
        return mean
    sigma2 = math.log(1.0 + cv * cv)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))


def _poisson_times(
    rng: random.Random, rates: Mapping[int, float], start: float, end: float
) -> list[float]:
    """A Poisson process with a piecewise-constant rate per clock hour, kept to [start, end)."""
    times: list[float] = []
    for hour in sorted(rates):
        rate = rates[hour]
        lo, hi = max(start, hour * 3600.0), min(end, (hour + 1) * 3600.0)
        if rate <= 0 or hi <= lo:
            continue
        t = lo
        while True:
            t += rng.expovariate(rate / 3600.0)
            if t >= hi:
                break
            times.append(t)
    return times


def generate_citizens(scenario: Scenario, seed: int | str) -> list[Citizen]:
    """Everyone who comes on one day, in order of check-in, plus the bookings
    whose holder does not come (`came=False`).

    Walk-ins arrive as a Poisson process while the center is open; booked
    slots are a Poisson process over the open part of each hour (so uniform
    within the hour); a booked citizen may not come (no-show) and checks in
    `early` before the slot (normal), never before the doors open; one who
    would come after closing does not come.
    """
    rng = random.Random(seed)
    languages = sorted(scenario.languages.items())
    others: dict[str, list[str]] = {}
    served_codes = sorted({s for c in scenario.counters for s in c.services})
    for code, spec in scenario.services.items():
        others[code] = [s for s in served_codes if scenario.services[s].entity != spec.entity] or [
            s for s in served_codes if s != code
        ]

    raw: list[tuple[float, str, float | None, bool]] = []
    for code in sorted(scenario.walk_ins):
        for t in _poisson_times(rng, scenario.walk_ins[code], scenario.open, scenario.close):
            raw.append((t, code, None, True))
    for code in sorted(scenario.appointments):
        for slot in _poisson_times(rng, scenario.appointments[code], scenario.open, scenario.close):
            no_show = rng.random() < scenario.no_show
            early = rng.gauss(scenario.early_mean, scenario.early_sd)
            arrival = max(scenario.open, slot - early)
            raw.append((arrival, code, slot, not no_show and arrival < scenario.close))
    raw.sort(key=lambda r: (r[0], r[1]))

    citizens: list[Citizen] = []
    for n, (arrival, code, booked, came) in enumerate(raw):
        spec = scenario.services[code]
        language = "es"
        draw = rng.random()
        for lang, share in languages:
            if draw < share:
                language = lang
                break
            draw -= share
        priority = rng.random() < scenario.priority_share
        patience = rng.expovariate(1.0 / scenario.patience_mean)
        duration = _lognormal(rng, spec.mean, spec.cv)
        second = None
        if rng.random() < scenario.second_share and others[code]:
            code2 = rng.choice(others[code])
            spec2 = scenario.services[code2]
            second = (
                code2,
                _lognormal(rng, spec2.mean, spec2.cv),
                rng.expovariate(1.0 / scenario.patience_mean),
            )
        citizens.append(
            Citizen(
                id=n + 1,
                arrival=arrival,
                service=code,
                priority=priority,
                language=language,
                patience=patience,
                duration=duration,
                slot=booked,
                second=second,
                came=came,
            )
        )
    return citizens


def simulate(
    scenario: Scenario,
    policies: Sequence[str | PolicyConfig] = ("fifo", "mac"),
    replications: int = 20,
    seed: int | None = None,
    estimate: bool = True,
) -> list[dict[str, Any]]:
    """One summary per policy (FORMAT.md's keys plus "tickets", "unservable" and
    "estimate"), every policy facing the same citizens in each replication."""
    from mac.queueing.sim_day import history_p95, run_day
    from mac.queueing.sim_stats import average, summarize_day

    configs = [p if isinstance(p, PolicyConfig) else PolicyConfig(name=p) for p in policies]
    base = scenario.seed if seed is None else seed
    histories = [history_p95(scenario, config, base) for config in configs]
    days: list[list[dict[str, Any]]] = [[] for _ in configs]
    for rep in range(replications):
        citizens = generate_citizens(scenario, replication_seed(base, rep))
        for i, config in enumerate(configs):
            record = run_day(scenario, citizens, config, estimate, histories[i])
            days[i].append(summarize_day(scenario, record))
    return [
        {"policy": config.name, "replications": replications, **average(day_list)}
        for config, day_list in zip(configs, days, strict=True)
    ]
