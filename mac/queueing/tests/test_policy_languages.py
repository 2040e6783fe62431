"""Ley 29735: a citizen who needs Quechua or LSP is called by a counter that has it."""

from mac.queueing.policy import CounterInfo, PolicyConfig, Snapshot, WaitingTicket, choose

SPANISH = CounterInfo(id="C1", entity="E", services=frozenset({"A"}), languages=frozenset({"es"}))
QUECHUA = CounterInfo(
    id="C2",
    entity="E",
    services=frozenset({"A"}),
    languages=frozenset({"es", "qu"}),
    state="busy",
    busy_until=1000.0,
)


def ticket(id: int, arrived: float, language: str = "es", service: str = "A") -> WaitingTicket:
    return WaitingTicket(
        id=id, service=service, entity="E", arrived=arrived, issued=arrived, language=language
    )


class TestLanguages:
    def test_it_calls_quechua_and_lsp_tickets_only_from_a_counter_that_has_them(self) -> None:
        waiting = [ticket(1, 0.0, "qu"), ticket(2, 10.0, "lsp"), ticket(3, 20.0)]
        snapshot = Snapshot(now=100.0, waiting=waiting, counters=[SPANISH, QUECHUA])
        for name in ("mac", "fifo"):
            assert choose(SPANISH, snapshot, PolicyConfig(name)) == 3

    def test_it_leaves_them_waiting_rather_than_call_them_wrongly(self) -> None:
        snapshot = Snapshot(now=100.0, waiting=[ticket(1, 0.0, "lsp")], counters=[SPANISH])
        for name in ("mac", "fifo"):
            assert choose(SPANISH, snapshot, PolicyConfig(name)) is None

    def test_a_counter_with_quechua_prefers_the_quechua_ticket(self) -> None:
        counter = CounterInfo(
            id="C2", entity="E", services=frozenset({"A"}), languages=frozenset({"es", "qu"})
        )
        busy_spanish = CounterInfo(
            id="C1",
            entity="E",
            services=frozenset({"A"}),
            languages=frozenset({"es"}),
            state="busy",
            busy_until=400.0,
        )
        waiting = [ticket(1, 0.0), ticket(2, 60.0, "qu")]
        snapshot = Snapshot(now=100.0, waiting=waiting, counters=[busy_spanish, counter])
        assert choose(counter, snapshot, PolicyConfig("mac")) == 2
        assert choose(counter, snapshot, PolicyConfig("fifo")) == 1


class TestSkills:
    def test_it_calls_only_services_in_the_counters_skills(self) -> None:
        waiting = [ticket(1, 0.0, service="B"), ticket(2, 50.0)]
        snapshot = Snapshot(now=100.0, waiting=waiting, counters=[SPANISH])
        for name in ("mac", "fifo"):
            assert choose(SPANISH, snapshot, PolicyConfig(name)) == 2

    def test_it_calls_no_one_when_nothing_is_in_its_skills(self) -> None:
        snapshot = Snapshot(now=100.0, waiting=[ticket(1, 0.0, service="B")], counters=[SPANISH])
        for name in ("mac", "fifo"):
            assert choose(SPANISH, snapshot, PolicyConfig(name)) is None
