"""`mac simulate`: deterministic, common random numbers, FORMAT.md's keys."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from mac.queueing.policy import HISTORY_WEEKS, PolicyConfig, day_p95
from mac.queueing.sim_day import Day, history_p95
from mac.queueing.simulation import (
    generate_citizens,
    history_seed,
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

    def test_the_past_weeks_are_other_citizens_replayed_by_the_same_policy(self) -> None:
        scenario = parse_scenario(TINY)
        mac = PolicyConfig("mac")
        # given: four past days, none of them a replication's
        past = [generate_citizens(scenario, history_seed(5, w)) for w in range(1, 5)]
        replications = [generate_citizens(scenario, replication_seed(5, r)) for r in range(20)]
        assert HISTORY_WEEKS == 4
        assert all(day not in replications for day in past)
        finals: list[float] = []
        for citizens in past:
            day = Day(scenario, citizens, mac, estimate=False)
            day.run()
            final = day_p95(day.called_waits)
            assert final is not None  # a tiny day still has 20 calls
            finals.append(final)
        # when / then: their mean final p95
        assert history_p95(scenario, mac, 5) == pytest.approx(sum(finals) / 4)
        # only `mac` reads it, and not with tail_history 0
        assert history_p95(scenario, PolicyConfig("fifo"), 5) is None
        assert history_p95(scenario, PolicyConfig("mac", {"tail_history": 0}), 5) is None

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


def _summary(**kw: float) -> dict:
    """A day's averages with every aim met by default (fifo's figures)."""
    return {
        "within_target": kw.get("within", 0.70),
        "wait_min": {
            "p95": kw.get("p95", 30.0),
            "mean": kw.get("mean", 8.0),
            "max": kw.get("max", 100.0),
        },
        "abandoned": kw.get("abandoned", 50.0),
        "priority": {"mean": kw.get("priority", 2.0)},
        "appointments": {"within_target": kw.get("appts", 0.60)},
    }


class TestAims:
    def test_it_names_every_missed_aim(self) -> None:
        from mac.queueing.sim_aims import misses

        fifo = _summary()
        assert misses(fifo, _summary(within=0.73, appts=0.70)) == []
        cand = _summary(
            within=0.71, p95=30.5, mean=8.25, abandoned=51, max=126, priority=2.1, appts=0.65
        )
        assert misses(fifo, cand) == [
            "ANS +1.0 pts",
            "p95 +0.50",
            "media +0.25",
            "abandonos +1.0",
            "máx ×1.26",
            "preferente +0.100",
            "citas +5.0 pts",
        ]
        assert misses(_summary(priority=6.0), _summary(within=0.73, appts=0.7, priority=5.5)) == [
            "preferente 5.5 ≥ 5"
        ]

    def test_it_replays_each_day_and_its_variants_with_both_policies(self, tmp_path: Path) -> None:
        path = tmp_path / "tiny.json"
        path.write_text(json.dumps(TINY), encoding="utf-8")
        out = StringIO()
        call_command(
            "simulate", str(path), "--aims", "--unseen", "7-8", "--replications", "2",
            "--json", stdout=out,
        )  # fmt: skip
        rows = json.loads(out.getvalue())
        # then: the file, then its variants, each against the same runs as `simulate`
        assert [r["day"] for r in rows] == ["tiny", "tiny:7", "tiny:8"]
        fifo, mac = simulate(parse_scenario(TINY), ["fifo", "mac"], replications=2, estimate=False)
        assert rows[0]["fifo"]["within_target"] == fifo["within_target"]
        assert rows[0]["candidate"]["wait_min"] == mac["wait_min"]
        assert set(rows[0]["candidate"]["se"]) == {"p95", "mean", "priority"}
        assert rows[1]["fifo"]["citizens"] != rows[0]["fifo"]["citizens"]

    def test_it_prints_the_aims_as_a_markdown_table(self, tmp_path: Path) -> None:
        path = tmp_path / "tiny.json"
        path.write_text(json.dumps(TINY), encoding="utf-8")
        out = StringIO()
        call_command(
            "simulate", str(path), "--aims", "--replications", "2", stdout=out, stderr=StringIO()
        )
        lines = out.getvalue().splitlines()
        assert lines[0] == "fifo → mac"
        assert lines[4].startswith("| tiny | ")
        assert lines[6].startswith("Cumple todo en ")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--aims", "--unseen", "5-x"], "--unseen lleva semillas"),
            (["--aims", "--policy", "fifo"], "--aims compara una política con fifo"),
        ],
    )
    def test_it_refuses_bad_aims_options(self, tmp_path: Path, args: list, message: str) -> None:
        from django.core.management.base import CommandError

        path = tmp_path / "tiny.json"
        path.write_text(json.dumps(TINY), encoding="utf-8")
        with pytest.raises(CommandError, match=message):
            call_command("simulate", str(path), *args, stdout=StringIO(), stderr=StringIO())

    def test_it_simulates_several_files_at_once(self, tmp_path: Path) -> None:
        paths = []
        for n in (1, 2):
            path = tmp_path / f"day{n}.json"
            path.write_text(json.dumps({**TINY, "seed": n}), encoding="utf-8")
            paths.append(str(path))
        out = StringIO()
        call_command("simulate", *paths, "--replications", "1", "--json", stdout=out)
        results = json.loads(out.getvalue())
        assert list(results) == paths
        assert [r["policy"] for r in results[paths[1]]] == ["fifo", "mac"]
