"""The baseline: priority first, then the longest-waiting ticket the counter may serve."""

import pytest

from mac.queueing.policy import CounterInfo, PolicyConfig, Snapshot, WaitingTicket, choose

COUNTER = CounterInfo(
    id="C1", entity="E", services=frozenset({"A", "B"}), languages=frozenset({"es"})
)


def ticket(id: int, arrived: float, issued: float, priority: bool = False) -> WaitingTicket:
    return WaitingTicket(
        id=id, service="A", entity="E", arrived=arrived, issued=issued, priority=priority
    )


class TestFifo:
    def test_it_calls_tickets_in_their_order(self) -> None:
        waiting = [
            ticket(1, 50.0, 50.0),
            ticket(2, 10.0, 10.0),
            ticket(3, 10.0, 5.0),
            ticket(4, 80.0, 80.0, priority=True),
            ticket(5, 70.0, 70.0, priority=True),
        ]
        order = []
        while waiting:
            snapshot = Snapshot(now=100.0, waiting=waiting, counters=[COUNTER])
            chosen = choose(COUNTER, snapshot, PolicyConfig("fifo"))
            order.append(chosen)
            waiting = [t for t in waiting if t.id != chosen]
        assert order == [5, 4, 3, 2, 1]

    def test_it_rejects_an_unknown_policy(self) -> None:
        snapshot = Snapshot(now=0.0, waiting=[], counters=[COUNTER])
        with pytest.raises(ValueError, match="unknown routing policy"):
            choose(COUNTER, snapshot, PolicyConfig("nope"))
