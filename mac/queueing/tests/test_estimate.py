"""The estimated wait replays the live queue on the counters that can serve it."""

import math

import pytest

from mac.queueing.estimate import estimate_new, estimate_queue, estimate_waiting
from mac.queueing.policy import CounterInfo, PolicyConfig, Snapshot, WaitingTicket


def counter(id: str, busy_until: float, languages: tuple[str, ...] = ("es",), **kw: object):
    return CounterInfo(
        id=id,
        entity="E",
        services=frozenset({"A"}),
        languages=frozenset(languages),
        state="busy",
        busy_until=busy_until,
        **kw,  # type: ignore[arg-type]
    )


def queue(*counters: CounterInfo) -> Snapshot:
    waiting = [
        WaitingTicket(id=1, service="A", entity="E", arrived=-100.0, issued=-100.0),
        WaitingTicket(id=2, service="A", entity="E", arrived=-50.0, issued=-50.0),
    ]
    return Snapshot(now=0.0, waiting=waiting, counters=counters, service_time={"A": 600.0})


@pytest.mark.parametrize("policy", ["fifo", "mac"])
class TestEstimate:
    def test_it_estimates_a_new_ticket_behind_the_queue(self, policy: str) -> None:
        # C1 frees at 5 min and takes ticket 1, C2 at 10 and takes 2, C1 again at 15
        snapshot = queue(counter("C1", 300.0), counter("C2", 600.0, ("es", "qu")))
        config = PolicyConfig(policy)
        assert estimate_new(snapshot, "A", config=config) == 900.0
        assert estimate_queue(snapshot, config) == {1: 300.0, 2: 600.0}
        assert estimate_waiting(snapshot, 2, config) == 600.0

    def test_a_priority_citizen_goes_first(self, policy: str) -> None:
        snapshot = queue(counter("C1", 300.0), counter("C2", 600.0))
        assert estimate_new(snapshot, "A", priority=True, config=PolicyConfig(policy)) == 300.0

    def test_a_quechua_speaker_waits_for_the_counter_that_speaks_it(self, policy: str) -> None:
        snapshot = queue(counter("C1", 300.0), counter("C2", 600.0, ("es", "qu")))
        assert estimate_new(snapshot, "A", language="qu", config=PolicyConfig(policy)) == 1200.0

    def test_it_counts_a_break(self, policy: str) -> None:
        # C1 finishes ticket 1 at 15 min, then is on break until 40 min
        snapshot = queue(
            counter("C1", 300.0, open_until=800.0, reopens_at=2400.0), counter("C2", 600.0)
        )
        assert estimate_new(snapshot, "A", config=PolicyConfig(policy)) == 1200.0

    def test_it_says_infinite_when_no_counter_can_serve(self, policy: str) -> None:
        snapshot = queue(counter("C1", 300.0))
        assert math.isinf(estimate_new(snapshot, "A", language="lsp", config=PolicyConfig(policy)))


def waited(minutes_1: float, minutes_2: float, p95_min: float | None) -> Snapshot:
    """Two tickets of service A that have waited this long, one counter free in 5 min."""
    waiting = [
        WaitingTicket(id=n, service="A", entity="E", arrived=-m * 60, issued=-m * 60)
        for n, m in ((1, minutes_1), (2, minutes_2))
    ]
    return Snapshot(
        now=0.0,
        waiting=waiting,
        counters=[counter("C1", 300.0)],
        service_time={"A": 600.0},
        wait_p95=None if p95_min is None else p95_min * 60,
    )


def test_mac_estimates_a_ticket_past_the_days_p95_behind_one_still_under_it() -> None:
    # given: target 15 min (tail from 22 min), the day's p95 is 40 min; one counter
    # frees in 5 min; ticket 1 has waited 50 min, ticket 2 25 min (30 and 55 then)
    snapshot = waited(50, 25, p95_min=40)
    # when / then: as the policy calls them (test_policy_tail), 2 first
    assert estimate_queue(snapshot, PolicyConfig("mac")) == {2: 300.0, 1: 900.0}
    assert estimate_queue(snapshot, PolicyConfig("fifo")) == {1: 300.0, 2: 900.0}
    unknown = waited(50, 25, p95_min=None)
    assert estimate_queue(unknown, PolicyConfig("mac")) == {1: 300.0, 2: 900.0}


def test_mac_estimates_with_the_policy_at_each_counters_next_free_moment() -> None:
    # given: the day's p95 is 20 min; one counter frees in 5 min. Ticket 1 has
    # waited 30 min (past the p95: it yields to rescues); ticket 2 (target 15)
    # has waited 9, so it is about to miss its target when the counter is free
    snapshot = waited(30, 9, p95_min=20)
    # when / then: the replay asks the policy at 5 min, as the counter will
    assert estimate_queue(snapshot, PolicyConfig("mac")) == {2: 300.0, 1: 900.0}
    assert estimate_queue(snapshot, PolicyConfig("fifo")) == {1: 300.0, 2: 900.0}
