"""Ley 28683: priority citizens go first, yet no one else waits without bound."""

from mac.queueing.policy import CounterInfo, PolicyConfig, Snapshot, WaitingTicket, choose

MAC = PolicyConfig("mac")
COUNTER = CounterInfo(id="C1", entity="E", services=frozenset({"A"}), languages=frozenset({"es"}))


def ticket(id: int, arrived: float, **kw: object) -> WaitingTicket:
    return WaitingTicket(id=id, service="A", entity="E", arrived=arrived, issued=arrived, **kw)  # type: ignore[arg-type]


class TestPriority:
    def test_it_calls_a_priority_citizen_before_older_tickets(self) -> None:
        # given
        waiting = [ticket(1, 0.0, target=600.0), ticket(2, 100.0, priority=True, target=600.0)]
        snapshot = Snapshot(now=200.0, waiting=waiting, counters=[COUNTER])
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 2
        assert choose(COUNTER, snapshot, PolicyConfig("fifo")) == 2

    def test_it_serves_a_starving_ticket_before_new_priority_citizens(self) -> None:
        # given: target 10 min, so the bound is min(6 x 10, 90) = 60 min; it has waited 65
        starving = ticket(1, 0.0, target=600.0)
        newcomer = ticket(2, 3890.0, priority=True, target=600.0)
        snapshot = Snapshot(now=3900.0, waiting=[starving, newcomer], counters=[COUNTER])
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 1
        # fifo lets priority citizens pass forever
        assert choose(COUNTER, snapshot, PolicyConfig("fifo")) == 2

    def test_it_keeps_priority_first_before_the_bound(self) -> None:
        old = ticket(1, 0.0, target=600.0)  # 59 min: not yet past the bound
        newcomer = ticket(2, 3530.0, priority=True, target=600.0)
        snapshot = Snapshot(now=3540.0, waiting=[old, newcomer], counters=[COUNTER])
        assert choose(COUNTER, snapshot, MAC) == 2

    def test_it_bounds_a_priority_citizen_behind_starving_tickets_too(self) -> None:
        # 5 min over the bound does not outrank a priority citizen waiting 2 min
        starving = ticket(1, 0.0, target=600.0)
        waiting_priority = ticket(2, 3780.0, priority=True, target=600.0)
        snapshot = Snapshot(now=3900.0, waiting=[starving, waiting_priority], counters=[COUNTER])
        assert choose(COUNTER, snapshot, MAC) == 2

    def test_it_honours_a_per_center_bound(self) -> None:
        waiting = [ticket(1, 0.0, target=600.0), ticket(2, 1790.0, priority=True)]
        snapshot = Snapshot(now=1800.0, waiting=waiting, counters=[COUNTER])
        config = PolicyConfig("mac", {"starve_cap_min": 20})
        assert choose(COUNTER, snapshot, config) == 1
        assert choose(COUNTER, snapshot, MAC) == 2
