"""Appointment holders are called close to their slot, not far ahead of it."""

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
        assert choose(COUNTER, snapshot, PolicyConfig("mac", {"appointment_lead_min": 1})) == 2

    def test_it_moves_an_appointment_ahead_of_a_walk_in_due_a_little_sooner(self) -> None:
        # given: the walk-in misses its 15-min target at SLOT+200, the appointment at SLOT+300
        waiting = [appointment(), walk_in(2, SLOT - 700)]
        snapshot = Snapshot(now=SLOT + 60, waiting=waiting, counters=[COUNTER])
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 1
        assert choose(COUNTER, snapshot, PolicyConfig("mac", {"appointment_credit_min": 0})) == 2
