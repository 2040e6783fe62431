"""`mac simulate`: deterministic, common random numbers, FORMAT.md's keys."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from mac.queueing.simulation import (
    generate_citizens,
    parse_scenario,
    replication_seed,
    simulate,
)

TINY = {
    "name": "Centro diminuto",
    "seed": 5,
    "day": {"open": "08:00", "close": "10:00"},
    "services": [
        {
            "code": "X-A",
            "entity": "X",
            "service_min": {"mean": 6, "cv": 0.4},
            "target_wait_min": 10,
        },
        {
            "code": "X-B",
            "entity": "X",
            "service_min": {"mean": 9, "cv": 0.5},
            "target_wait_min": 15,
        },
        {
            "code": "Y-A",
            "entity": "Y",
            "service_min": {"mean": 5, "cv": 0.3},
            "target_wait_min": 10,
        },
    ],
    "counters": [
        {
            "id": "X-1",
            "entity": "X",
            "services": ["X-A", "X-B"],
            "languages": ["es", "qu"],
            "open": [["08:00", "09:00"], ["09:15", "10:00"]],
        },
        {
            "id": "X-2",
            "entity": "X",
            "services": ["X-A"],
            "languages": ["es"],
            "open": [["08:00", "10:00"]],
        },
        {
            "id": "Y-1",
            "entity": "Y",
            "services": ["Y-A"],
            "languages": ["es", "lsp"],
            "open": [["08:00", "10:00"]],
        },
    ],
    "walk_ins": [
        {"service": "X-A", "per_hour": {"08": 8, "09": 10}},
        {"service": "X-B", "per_hour": {"08": 4, "09": 5}},
        {"service": "Y-A", "per_hour": {"08": 6, "09": 8}},
    ],
    "appointments": {
        "per_hour": {"X-B": {"08": 2, "09": 2}},
        "no_show": 0.1,
        "arrive_early_min": {"mean": 10, "sd": 8},
        "target_wait_min": 5,
    },
    "citizens": {
        "priority_share": 0.15,
        "languages": {"qu": 0.1, "lsp": 0.05},
        "patience_min": {"mean": 60},
        "second_service_share": 0.1,
    },
}

KEYS = {
    "policy",
    "replications",
    "citizens",
    "served",
    "abandoned",
    "wait_min",
    "within_target",
    "priority",
    "appointments",
    "languages",
    "utilization",
    "by_service",
    "by_counter",
    "estimate",
}


class TestSimulation:
    def test_it_is_deterministic_for_a_seed(self) -> None:
        scenario = parse_scenario(TINY)
        first = simulate(scenario, ["fifo", "mac"], replications=3)
        again = simulate(scenario, ["fifo", "mac"], replications=3)
        assert json.dumps(first) == json.dumps(again)
        other = simulate(scenario, ["fifo", "mac"], replications=3, seed=6)
        assert json.dumps(first) != json.dumps(other)

    def test_every_policy_faces_the_same_citizens(self) -> None:
        scenario = parse_scenario(TINY)
        fifo, mac = simulate(scenario, ["fifo", "mac"], replications=3)
        assert fifo["citizens"] == mac["citizens"] > 0
        day = generate_citizens(scenario, replication_seed(5, 0))
        assert day == generate_citizens(scenario, replication_seed(5, 0))

    def test_it_reports_every_key_of_format_md(self) -> None:
        (result,) = simulate(parse_scenario(TINY), ["mac"], replications=2)
        assert set(result) >= KEYS
        assert set(result["wait_min"]) == {"mean", "p50", "p90", "p95", "max"}
        assert set(result["priority"]) == {"mean", "max"}
        assert set(result["appointments"]) == {"within_target", "mean_min"}
        assert set(result["languages"]) == {"qu", "lsp"}
        assert set(result["by_counter"]) == {"X-1", "X-2", "Y-1"}
        assert set(result["estimate"]) == {"new", "waiting"}
        assert result["served"] + result["abandoned"] == pytest.approx(result["tickets"], abs=0.1)
        assert 0.0 <= result["within_target"] <= 1.0


class TestSimulateCommand:
    def test_it_prints_json(self, tmp_path: Path) -> None:
        path = tmp_path / "tiny.json"
        path.write_text(json.dumps(TINY), encoding="utf-8")
        out = StringIO()
        call_command("simulate", str(path), "--replications", "2", "--json", stdout=out)
        results = json.loads(out.getvalue())
        assert [r["policy"] for r in results] == ["fifo", "mac"]
        assert results[0]["citizens"] == results[1]["citizens"]

    def test_it_prints_a_table_with_cross_training(self, tmp_path: Path) -> None:
        path = tmp_path / "tiny.json"
        path.write_text(json.dumps(TINY), encoding="utf-8")
        out = StringIO()
        call_command(
            "simulate",
            str(path),
            "--replications",
            "2",
            "--cross-train",
            "2",
            stdout=out,
            stderr=StringIO(),
        )
        text = out.getvalue()
        assert "Dentro del ANS" in text
        assert "Capacitación cruzada (mac)" in text
        assert "X-2 + X-B" in text  # the only skill that can be added
