"""Among the rest, a counter prefers the ticket that fewer open counters could serve."""

from mac.queueing.policy import CounterInfo, PolicyConfig, Snapshot, WaitingTicket, choose

MAC = PolicyConfig("mac")
WIDE = CounterInfo(id="W", entity="E", services=frozenset({"A", "B"}), languages=frozenset({"es"}))


def narrow(state: str = "busy", busy_until: float = 400.0) -> CounterInfo:
    return CounterInfo(
        id="N",
        entity="E",
        services=frozenset({"A"}),
        languages=frozenset({"es"}),
        state=state,
        busy_until=busy_until if state == "busy" else None,
    )


def ticket(id: int, service: str, arrived: float) -> WaitingTicket:
    return WaitingTicket(id=id, service=service, entity="E", arrived=arrived, issued=arrived)


class TestRareSkill:
    def test_it_prefers_the_service_only_it_can_serve(self) -> None:
        waiting = [ticket(1, "A", 0.0), ticket(2, "B", 30.0)]
        snapshot = Snapshot(now=100.0, waiting=waiting, counters=[WIDE, narrow()])
        assert choose(WIDE, snapshot, MAC) == 2
        assert choose(WIDE, snapshot, PolicyConfig("fifo")) == 1

    def test_it_leaves_to_a_free_counter_with_fewer_skills_what_that_one_can_take(self) -> None:
        snapshot = Snapshot(
            now=100.0, waiting=[ticket(1, "A", 0.0)], counters=[WIDE, narrow("free")]
        )
        assert choose(WIDE, snapshot, MAC) is None
        assert choose(narrow("free"), snapshot, MAC) == 1

    def test_it_still_takes_it_when_the_narrow_counter_is_busy(self) -> None:
        snapshot = Snapshot(now=100.0, waiting=[ticket(1, "A", 0.0)], counters=[WIDE, narrow()])
        assert choose(WIDE, snapshot, MAC) == 1

    def test_it_prefers_most_the_ticket_about_to_miss_its_target(self) -> None:
        # B has slack; A (10-min target) is 1 min from missing it: rescue A
        urgent = WaitingTicket(id=1, service="A", entity="E", arrived=0.0, issued=0.0, target=600.0)
        fresh = ticket(2, "B", 500.0)
        older = WaitingTicket(
            id=3, service="B", entity="E", arrived=-100.0, issued=-100.0, target=1200.0
        )
        snapshot = Snapshot(
            now=540.0,
            waiting=[urgent, fresh, older],
            counters=[WIDE, narrow()],
            service_time={"A": 300.0, "B": 300.0},
        )
        assert choose(WIDE, snapshot, MAC) == 1
        assert choose(WIDE, snapshot, PolicyConfig("fifo")) == 3

    def test_it_serves_the_oldest_first_when_the_other_can_be_called_here_after_it(self) -> None:
        # given: A has 5 min left of its 10-min target and only this counter
        # serves it soon (the narrow one is busy for 40 min); the oldest ticket,
        # B, takes 2 min: A can be called here right after, so no rescue
        urgent = WaitingTicket(id=1, service="A", entity="E", arrived=0.0, issued=0.0, target=600.0)
        older = ticket(2, "B", -200.0)

        def snapshot(b_minutes: float) -> Snapshot:
            return Snapshot(
                now=300.0,
                waiting=[urgent, older],
                counters=[WIDE, narrow(busy_until=2700.0)],
                service_time={"A": 900.0, "B": b_minutes * 60.0},
            )

        assert choose(WIDE, snapshot(2), MAC) == 2
        # when B takes 15 min, A would miss its target behind it: rescue A
        slow = snapshot(15)
        assert choose(WIDE, slow, MAC) == 1


class TestIdleGuard:
    """An advisor presses "call next": a narrower counter free for long may be away."""

    def idle_narrow(self, free_since: float | None) -> CounterInfo:
        return CounterInfo(
            id="N",
            entity="E",
            services=frozenset({"A"}),
            languages=frozenset({"es"}),
            free_since=free_since,
        )

    def test_it_takes_the_ticket_when_the_narrow_counter_has_idled_for_5_minutes(self) -> None:
        snapshot = Snapshot(
            now=400.0, waiting=[ticket(1, "A", 350.0)], counters=[WIDE, self.idle_narrow(100.0)]
        )
        assert choose(WIDE, snapshot, MAC) == 1

    def test_it_still_leaves_it_to_a_narrow_counter_free_for_10_seconds(self) -> None:
        snapshot = Snapshot(
            now=400.0, waiting=[ticket(1, "A", 350.0)], counters=[WIDE, self.idle_narrow(390.0)]
        )
        assert choose(WIDE, snapshot, MAC) is None
        assert choose(self.idle_narrow(390.0), snapshot, MAC) == 1

    def test_the_idle_limit_is_a_parameter(self) -> None:
        snapshot = Snapshot(
            now=400.0, waiting=[ticket(1, "A", 350.0)], counters=[WIDE, self.idle_narrow(100.0)]
        )
        assert choose(WIDE, snapshot, PolicyConfig("mac", {"defer_idle_max_s": 600})) is None


class TestRescueGuard:
    def test_a_center_may_forbid_rescues_while_a_ticket_is_late(self) -> None:
        urgent = WaitingTicket(id=1, service="A", entity="E", arrived=0.0, issued=0.0, target=600.0)
        late = WaitingTicket(
            id=2, service="B", entity="E", arrived=-900.0, issued=-900.0, target=1200.0
        )  # 24 min waited, 4 past its 20-min target: not yet in the tail (26 min)
        snapshot = Snapshot(
            now=540.0,
            waiting=[urgent, late],
            counters=[WIDE, narrow()],
            service_time={"A": 300.0, "B": 300.0},
        )
        assert choose(WIDE, snapshot, MAC) == 1
        assert choose(WIDE, snapshot, PolicyConfig("mac", {"rescue_late_max_min": 2})) == 2
