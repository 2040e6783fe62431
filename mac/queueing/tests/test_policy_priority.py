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

    def test_it_keeps_a_priority_citizen_first_even_against_a_starving_ticket(self) -> None:
        # given: target 10 min, so the bound is min(6 x 10, 90) = 60 min; it has waited 65
        starving = ticket(1, 0.0, target=600.0)
        newcomer = ticket(2, 3890.0, priority=True, target=600.0)
        snapshot = Snapshot(now=3900.0, waiting=[starving, newcomer], counters=[COUNTER])
        # when / then: Ley 28683, like fifo
        assert choose(COUNTER, snapshot, MAC) == 2
        assert choose(COUNTER, snapshot, PolicyConfig("fifo")) == 2

    def test_it_serves_a_starving_ticket_before_the_tickets_it_would_otherwise_favour(
        self,
    ) -> None:
        # given: the day's p95 is 40 min, so a ticket between its tail bound
        # (17 min for a 10-min target) and 40 min is "savable" and goes before one
        # already past 40 min; but one past the 60-min starvation bound goes first
        starving = ticket(1, 0.0, target=600.0)  # 65 min
        savable = ticket(2, 2700.0, target=600.0)  # 20 min
        snapshot = Snapshot(
            now=3900.0, waiting=[starving, savable], counters=[COUNTER], wait_p95=2400.0
        )
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 1
        # a center that sets a looser bound lets the savable ticket go first
        loose = PolicyConfig("mac", {"starve_factor": 100, "starve_cap_min": 200})
        assert choose(COUNTER, snapshot, loose) == 2

    def test_it_honours_a_per_center_bound(self) -> None:
        # given: 20 min waited, within target 30 min; a newer ticket is due sooner
        old = ticket(1, 0.0, target=1800.0)
        due = ticket(2, 1000.0, target=600.0)
        snapshot = Snapshot(now=1200.0, waiting=[old, due], counters=[COUNTER])
        # when / then: rescued by default; first once the center bounds waits at 20 min
        assert choose(COUNTER, snapshot, MAC) == 2
        assert choose(COUNTER, snapshot, PolicyConfig("mac", {"starve_cap_min": 20})) == 1

    def test_it_calls_the_priority_citizen_fewer_counters_can_serve(self) -> None:
        # given: this counter speaks Quechua, the other (busy) one does not; the
        # Spanish speaker came 5 min earlier and can be called there next
        quechua = CounterInfo(
            id="C1", entity="E", services=frozenset({"A"}), languages=frozenset({"es", "qu"})
        )
        other = CounterInfo(
            id="C2",
            entity="E",
            services=frozenset({"A"}),
            languages=frozenset({"es"}),
            state="busy",
            busy_until=1300.0,
        )
        spanish = ticket(1, 600.0, priority=True)
        needs_quechua = ticket(2, 900.0, priority=True, language="qu")
        snapshot = Snapshot(now=1000.0, waiting=[spanish, needs_quechua], counters=[quechua, other])
        # when / then
        assert choose(quechua, snapshot, MAC) == 2
        assert choose(quechua, snapshot, PolicyConfig("fifo")) == 1
        assert choose(quechua, snapshot, PolicyConfig("mac", {"priority_scarce_min": 0})) == 1
