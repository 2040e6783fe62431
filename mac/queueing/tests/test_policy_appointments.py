"""Appointment holders are called close to their slot, not far ahead of it."""

from dataclasses import replace

from mac.queueing.policy import CounterInfo, PolicyConfig, Snapshot, WaitingTicket, choose

MAC = PolicyConfig("mac")
COUNTER = CounterInfo(id="C1", entity="E", services=frozenset({"A"}), languages=frozenset({"es"}))
SLOT = 36000.0  # 10:00


def appointment(id: int = 1, checked_in: float = SLOT - 900) -> WaitingTicket:
    return WaitingTicket(
        id=id,
        service="A",
        entity="E",
        arrived=max(checked_in, SLOT),
        issued=checked_in,
        appointment=SLOT,
        target=300.0,
    )


def busy_counter(until: float) -> CounterInfo:
    """Another counter of the same skills, busy until `until`."""
    return replace(COUNTER, id="C2", state="busy", busy_until=until)


def walk_in(id: int, arrived: float) -> WaitingTicket:
    return WaitingTicket(id=id, service="A", entity="E", arrived=arrived, issued=arrived)


class TestAppointments:
    def test_it_does_not_call_an_appointment_ten_minutes_early_while_walk_ins_wait(self) -> None:
        snapshot = Snapshot(
            now=SLOT - 600, waiting=[appointment(), walk_in(2, SLOT - 700)], counters=[COUNTER]
        )
        assert choose(COUNTER, snapshot, MAC) == 2

    def test_it_calls_the_appointment_at_its_slot_before_a_fresh_walk_in(self) -> None:
        snapshot = Snapshot(
            now=SLOT - 30, waiting=[appointment(), walk_in(2, SLOT - 70)], counters=[COUNTER]
        )
        assert choose(COUNTER, snapshot, MAC) == 1
        # fifo orders it by its slot: behind the walk-in who came before it
        assert choose(COUNTER, snapshot, PolicyConfig("fifo")) == 2

    def test_it_calls_it_soon_after_a_late_arrival(self) -> None:
        late = appointment(checked_in=SLOT + 600)
        snapshot = Snapshot(
            now=SLOT + 660, waiting=[late, walk_in(2, SLOT + 300)], counters=[COUNTER]
        )
        assert choose(COUNTER, snapshot, MAC) == 1

    def test_it_calls_it_early_rather_than_idle(self) -> None:
        snapshot = Snapshot(now=SLOT - 1200, waiting=[appointment()], counters=[COUNTER])
        assert choose(COUNTER, snapshot, MAC) == 1

    def test_it_calls_one_who_came_early_a_few_minutes_before_the_slot(self) -> None:
        # given: 3 minutes before the slot (the lead is 4), a walk-in who came 2 min ago
        snapshot = Snapshot(
            now=SLOT - 180, waiting=[appointment(), walk_in(2, SLOT - 300)], counters=[COUNTER]
        )
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 1
        params = {"appointment_lead_min": 1, "appointment_early_min": 0}
        assert choose(COUNTER, snapshot, PolicyConfig("mac", params)) == 2

    def test_it_moves_an_appointment_ahead_of_a_walk_in_due_a_little_sooner(self) -> None:
        # given: the walk-in misses its 15-min target at SLOT+200, the appointment at SLOT+300
        waiting = [appointment(), walk_in(2, SLOT - 700)]
        snapshot = Snapshot(now=SLOT + 60, waiting=waiting, counters=[COUNTER])
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 1
        assert choose(COUNTER, snapshot, PolicyConfig("mac", {"appointment_credit_min": 0})) == 2

    def test_it_calls_a_holder_at_the_slot_although_another_counter_is_free_soon(self) -> None:
        # given: another counter free in a minute, so by slack alone (5 min left,
        # next chance 1 min + 2 min margin) no rescue would be due yet; the
        # walk-in came 5 min ago (target 15 min)
        other = busy_counter(until=SLOT + 60)
        waiting = [appointment(), walk_in(2, SLOT - 300)]
        snapshot = Snapshot(
            now=SLOT, waiting=waiting, counters=[COUNTER, other], service_time={"A": 600.0}
        )
        # when / then: the holder, whose patience runs from the slot
        assert choose(COUNTER, snapshot, MAC) == 1
        later = PolicyConfig("mac", {"appointment_due_min": -2})
        assert choose(COUNTER, snapshot, later) == 2
        assert choose(COUNTER, replace(snapshot, now=SLOT + 120), later) == 1


class TestLastChance:
    """Up to 10 min before the slot, an appointment holder nobody else could call
    in time is called now."""

    WAITING = (appointment(), walk_in(2, SLOT - 600))

    def test_it_calls_the_appointment_eight_minutes_early_when_no_one_else_could(self) -> None:
        # given: the only counter; a service lasts 12 min, so after the walk-in
        # it would be free at SLOT+240, past SLOT + 5 min - 3 min of margin
        snapshot = Snapshot(
            now=SLOT - 480, waiting=self.WAITING, counters=[COUNTER], service_time={"A": 720.0}
        )
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 1
        assert choose(COUNTER, snapshot, PolicyConfig("mac", {"appointment_early_min": 0})) == 2
        assert choose(COUNTER, snapshot, PolicyConfig("fifo")) == 2

    def test_it_leaves_it_when_another_counter_is_free_before_the_slot(self) -> None:
        other = busy_counter(until=SLOT - 60)
        snapshot = Snapshot(
            now=SLOT - 480,
            waiting=self.WAITING,
            counters=[COUNTER, other],
            service_time={"A": 720.0},
        )
        assert choose(COUNTER, snapshot, MAC) == 2

    def test_it_leaves_it_when_this_counter_is_free_again_in_time(self) -> None:
        # a 4-min service: free again at SLOT-240, long before the deadline
        snapshot = Snapshot(
            now=SLOT - 480, waiting=self.WAITING, counters=[COUNTER], service_time={"A": 240.0}
        )
        assert choose(COUNTER, snapshot, MAC) == 2

    def test_it_waits_when_the_slot_is_over_ten_minutes_away(self) -> None:
        snapshot = Snapshot(
            now=SLOT - 660, waiting=self.WAITING, counters=[COUNTER], service_time={"A": 720.0}
        )
        assert choose(COUNTER, snapshot, MAC) == 2
