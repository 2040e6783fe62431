"""Figures of a simulated day and their average over replications (FORMAT.md).

Definitions: every ticket counts, a second service's ticket too; wait figures
are over tickets that were called; `within_target` is over all tickets that
entered, an abandoned one counting as missed; appointment figures are over
booked citizens who came (their first ticket); a wait runs from check-in for
walk-ins and from max(arrival, slot) for appointment holders, and is zero for
one called before the slot. Figures of the day are averaged over replications
(the max too: the mean of each day's worst wait).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from mac.queueing.policy import can_serve
from mac.queueing.sim_day import DayRecord, Ticket
from mac.queueing.simulation import MINUTE, Scenario

COUNTS = {"citizens", "tickets", "served", "abandoned", "unservable", "n"}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks; `values` sorted."""
    if not values:
        return math.nan
    pos = (len(values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)


def wait_of(ticket: Ticket) -> float:
    assert ticket.called is not None
    return max(0.0, ticket.called - ticket.info.arrived)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _errors(pairs: Sequence[tuple[float, float]]) -> dict[str, Any]:
    errors = sorted(abs(est - actual) / MINUTE for est, actual in pairs)
    return {
        "n": len(errors),
        "mae_min": _mean(errors),
        "p90_abs_min": percentile(errors, 0.9) if errors else None,
        "bias_min": _mean([(est - actual) / MINUTE for est, actual in pairs]),
    }


def summarize_day(scenario: Scenario, record: DayRecord) -> dict[str, Any]:
    tickets = record.tickets
    called = [t for t in tickets if t.called is not None]
    waits = sorted(wait_of(t) / MINUTE for t in called)
    within = sum(1 for t in called if wait_of(t) <= t.info.target)
    infos = [r.info for r in record.counters]
    unservable = sum(1 for t in tickets if not any(can_serve(c, t.info) for c in infos))

    def wait_mean(group: Sequence[Ticket]) -> float | None:
        return _mean([wait_of(t) / MINUTE for t in group if t.called is not None])

    priority = [wait_of(t) / MINUTE for t in called if t.info.priority]
    appts = [t for t in tickets if t.first and t.citizen.slot is not None]
    appts_within = sum(1 for t in appts if t.called is not None and wait_of(t) <= t.info.target)

    by_service: dict[str, Any] = {}
    for code in scenario.services:
        group = [t for t in tickets if t.info.service == code]
        if not group:
            continue
        served = [t for t in group if t.called is not None]
        group_waits = sorted(wait_of(t) / MINUTE for t in served)
        by_service[code] = {
            "tickets": len(group),
            "served": len(served),
            "abandoned": sum(1 for t in group if t.abandoned),
            "wait_mean": _mean(group_waits),
            "wait_p90": percentile(group_waits, 0.9) if group_waits else None,
            "within_target": sum(1 for t in served if wait_of(t) <= t.info.target) / len(group),
        }

    busy = staffed = 0.0
    by_counter: dict[str, Any] = {}
    for run in record.counters:
        periods = sum(b - a for a, b in run.spec.periods)
        busy += run.busy
        staffed += periods + run.staffed
        by_counter[run.spec.id] = {
            "served": run.served,
            "utilization": run.busy / (periods + run.staffed) if periods + run.staffed else 0.0,
        }

    estimate_new = [
        (t.estimate, wait_of(t)) for t in called if t.estimate is not None and t.estimate < math.inf
    ]
    estimate_waiting = [
        (est, t.called - when)
        for t in called
        for when, est in t.samples
        if est < math.inf and t.called is not None
    ]
    return {
        "citizens": record.citizens,
        "tickets": len(tickets),
        "served": len(called),
        "abandoned": sum(1 for t in tickets if t.abandoned),
        "unservable": unservable,
        "wait_min": {
            "mean": _mean(waits),
            "p50": percentile(waits, 0.5),
            "p90": percentile(waits, 0.9),
            "p95": percentile(waits, 0.95),
            "max": waits[-1] if waits else None,
        },
        "within_target": within / len(tickets) if tickets else None,
        "priority": {"mean": _mean(priority), "max": max(priority) if priority else None},
        "appointments": {
            "within_target": appts_within / len(appts) if appts else None,
            "mean_min": wait_mean(appts),
        },
        "languages": {
            lang: {"mean": wait_mean([t for t in tickets if t.info.language == lang])}
            for lang in sorted(scenario.languages)
        },
        "utilization": busy / staffed if staffed else 0.0,
        "by_service": by_service,
        "by_counter": by_counter,
        "estimate": {"new": _errors(estimate_new), "waiting": _errors(estimate_waiting)},
    }


def average(days: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The mean of each figure over the days that have it, rounded."""
    return _average(days, "")


def _average(values: Sequence[Any], key: str) -> Any:
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not present:
        return None
    if isinstance(present[0], dict):
        keys: list[str] = []
        for v in present:
            keys.extend(k for k in v if k not in keys)
        return {k: _average([v.get(k) for v in present], k) for k in keys}
    mean = sum(present) / len(present)
    if key in COUNTS:
        return round(mean, 1) if mean != round(mean) else round(mean)
    return round(mean, 4)
