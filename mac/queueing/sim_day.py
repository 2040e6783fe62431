"""The event loop of one simulated day (see mac.queueing.simulation).

A hand-written discrete-event loop over a heap: simpler and several times
faster than a process-based library for this model, where the only actors
are counters that call the next ticket through `policy.choose`.

The snapshot a counter sees holds the tickets and counters of its own entity:
a counter only serves its entity's services, so for any policy that looks at
the tickets the counter can serve and at the counters that could serve them
this is the same decision as with the whole center, at a fraction of the cost.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from mac.queueing.estimate import estimate_new, estimate_queue
from mac.queueing.policy import (
    HISTORY_WEEKS,
    CounterInfo,
    PolicyConfig,
    Snapshot,
    WaitingTicket,
    can_serve,
    choose,
    day_p95,
    mac_params,
    past_p95,
)
from mac.queueing.simulation import (
    Citizen,
    CounterSpec,
    Scenario,
    generate_citizens,
    history_seed,
)

# Event kinds, in the order they are handled at the same instant.
OPEN, END, CLOSE, ARRIVE, LEAVE, POLL, SAMPLE = range(7)
RETRY_SECONDS = 30.0  # a counter that declined while tickets wait asks again
SAMPLE_SECONDS = 900.0  # how often waiting tickets' estimates are sampled
UPCOMING_BEFORE = 600.0  # a booking still "upcoming" this long after its slot
UPCOMING_AHEAD = 3600.0
PRIOR_WEIGHT = 5.0  # the scenario's mean counts as this many observed services


@dataclass(eq=False, slots=True)
class Ticket:
    info: WaitingTicket
    citizen: Citizen
    duration: float
    patience: float
    first: bool  # the citizen's first ticket (a second service's is not)
    called: float | None = None
    counter: str | None = None
    abandoned: bool = False
    estimate: float | None = None  # estimated wait when issued
    samples: list[tuple[float, float]] = field(default_factory=list)  # (time, estimate)


@dataclass(eq=False, slots=True)
class CounterRun:
    spec: CounterSpec
    info: CounterInfo
    period: int = -1
    overtime: bool = False
    leaving: bool = False  # its period ended during a service
    ticket: Ticket | None = None
    start: float = 0.0
    busy: float = 0.0
    staffed: float = 0.0  # staffed time beyond its periods (finishing, overtime)
    served: int = 0


@dataclass
class DayRecord:
    tickets: list[Ticket]
    counters: list[CounterRun]
    citizens: int
    end: float


class Day:
    def __init__(
        self,
        scenario: Scenario,
        citizens: Sequence[Citizen],
        config: PolicyConfig,
        estimate: bool,
        history: float | None = None,
    ) -> None:
        self.scenario = scenario
        self.config = config
        self.estimate = estimate
        self.history = history  # Snapshot.wait_p95_history
        self.events: list[tuple[float, int, int, object]] = []
        self.seq = 0
        self.now = scenario.open
        self.tickets: list[Ticket] = []
        self.next_id = 1
        self.waiting: dict[str, list[WaitingTicket]] = {}
        self.by_id: dict[int, Ticket] = {}
        self.counters: dict[str, list[CounterRun]] = {}
        self.infos: dict[str, tuple[CounterInfo, ...] | None] = {}
        self.poll_at: dict[str, float] = {}
        self.in_service = 0
        self.sums = {code: spec.mean * PRIOR_WEIGHT for code, spec in scenario.services.items()}
        self.counts = dict.fromkeys(scenario.services, PRIOR_WEIGHT)
        self.means = {code: spec.mean for code, spec in scenario.services.items()}
        # bookings per entity: sorted slots, their services, and who checked in
        self.bookings: dict[str, list[tuple[float, str, int]]] = {}
        self.checked_in: set[int] = set()
        for entity in {c.entity for c in scenario.counters} | {
            s.entity for s in scenario.services.values()
        }:
            self.waiting[entity] = []
            self.counters[entity] = []
            self.infos[entity] = None
            self.bookings[entity] = []
        for spec in scenario.counters:
            run = CounterRun(
                spec=spec,
                # `free_since` stays None: simulated advisors are always at
                # their counter and call at once, so a free counter is never
                # "away" (filling it with the time it became free would stop
                # deferral to a present narrow counter idle for over a minute).
                info=CounterInfo(
                    id=spec.id,
                    entity=spec.entity,
                    services=frozenset(spec.services),
                    languages=frozenset(spec.languages),
                    state="closed",
                    opens_at=spec.periods[0][0] if spec.periods else None,
                ),
            )
            self.counters[spec.entity].append(run)
            for n, (start, end) in enumerate(spec.periods):
                self.push(start, OPEN, (run, n))
                self.push(end, CLOSE, (run, n))
        self.called_waits: list[float] = []  # sorted: Snapshot.wait_p95
        self.citizens = 0
        for citizen in citizens:
            if citizen.slot is not None:
                entity = scenario.services[citizen.service].entity
                self.bookings[entity].append((citizen.slot, citizen.service, citizen.id))
            if citizen.came:
                self.citizens += 1
                self.push(citizen.arrival, ARRIVE, citizen)
        for entity_bookings in self.bookings.values():
            entity_bookings.sort()
        if estimate:
            t = scenario.open + SAMPLE_SECONDS
            while t < scenario.close:
                self.push(t, SAMPLE, None)
                t += SAMPLE_SECONDS

    def push(self, time: float, kind: int, payload: object) -> None:
        self.seq += 1
        heapq.heappush(self.events, (time, kind, self.seq, payload))

    # -- snapshots ---------------------------------------------------------

    def upcoming(self, entity: str) -> list[tuple[str, float]]:
        bookings = self.bookings[entity]
        lo = bisect.bisect_left(bookings, (self.now - UPCOMING_BEFORE,))
        hi = bisect.bisect_left(bookings, (self.now + UPCOMING_AHEAD,))
        return [
            (service, slot) for slot, service, cid in bookings[lo:hi] if cid not in self.checked_in
        ]

    def snapshot(self, entity: str) -> Snapshot:
        infos = self.infos[entity]
        if infos is None:
            infos = tuple(run.info for run in self.counters[entity])
            self.infos[entity] = infos
        return Snapshot(
            now=self.now,
            waiting=self.waiting[entity],
            counters=infos,
            service_time=self.means,
            upcoming=self.upcoming(entity),
            closes_at=self.scenario.close,
            wait_p95=day_p95(self.called_waits),
            wait_p95_history=self.history,
        )

    def set_info(self, run: CounterRun, **changes: object) -> None:
        run.info = replace(run.info, **changes)  # type: ignore[arg-type]
        self.infos[run.spec.entity] = None

    # -- the loop ----------------------------------------------------------

    def run(self) -> DayRecord:
        while self.events:
            time, kind, _, payload = heapq.heappop(self.events)
            self.now = time
            if kind == ARRIVE:
                assert isinstance(payload, Citizen)
                self.arrive(payload)
            elif kind == END:
                assert isinstance(payload, CounterRun)
                self.end_service(payload)
            elif kind == LEAVE:
                assert isinstance(payload, Ticket)
                self.leave(payload)
            elif kind in (OPEN, CLOSE):
                assert isinstance(payload, tuple)
                counter_run, period = payload
                if kind == OPEN:
                    self.open_counter(counter_run, period)
                else:
                    self.close_counter(counter_run, period)
            elif kind == POLL:
                assert isinstance(payload, str)
                if self.poll_at.get(payload) == time:
                    del self.poll_at[payload]
                    self.poll(payload)
            elif kind == SAMPLE:
                self.sample()
        return DayRecord(
            tickets=self.tickets,
            counters=[run for runs in self.counters.values() for run in runs],
            citizens=self.citizens,
            end=self.now,
        )

    def arrive(self, citizen: Citizen) -> None:
        if citizen.slot is not None:
            self.checked_in.add(citizen.id)
        self.issue(citizen, citizen.service, citizen.duration, citizen.patience, first=True)

    def issue(
        self, citizen: Citizen, service: str, duration: float, patience: float, first: bool
    ) -> None:
        spec = self.scenario.services[service]
        slot = citizen.slot if first else None
        target = self.scenario.appointment_target if slot is not None else spec.target
        info = WaitingTicket(
            id=self.next_id,
            service=service,
            entity=spec.entity,
            arrived=self.now if slot is None else max(self.now, slot),
            issued=self.now,
            priority=citizen.priority,
            language=citizen.language,
            appointment=slot,
            target=target,
        )
        self.next_id += 1
        ticket = Ticket(
            info=info, citizen=citizen, duration=duration, patience=patience, first=first
        )
        if self.estimate:
            ticket.estimate = estimate_new(
                self.snapshot(spec.entity),
                service,
                entity=spec.entity,
                priority=info.priority,
                language=info.language,
                target=target,
                appointment=slot,
                config=self.config,
            ) - (info.arrived - self.now)
        self.tickets.append(ticket)
        self.by_id[info.id] = ticket
        self.waiting[spec.entity].append(info)
        self.push(info.arrived + patience, LEAVE, ticket)
        self.poll(spec.entity)

    def leave(self, ticket: Ticket) -> None:
        if ticket.called is not None:
            return
        ticket.abandoned = True
        queue = self.waiting[ticket.info.entity]
        queue.remove(ticket.info)

    def open_counter(self, run: CounterRun, n: int) -> None:
        run.period = n
        run.leaving = False
        end = run.spec.periods[n][1]
        reopens = run.spec.periods[n + 1][0] if n + 1 < len(run.spec.periods) else None
        state = "busy" if run.ticket is not None else "free"
        self.set_info(run, state=state, open_until=end, opens_at=None, reopens_at=reopens)
        if state == "free":
            self.poll(run.spec.entity)

    def close_counter(self, run: CounterRun, n: int) -> None:
        last = n + 1 >= len(run.spec.periods)
        if last and run.spec.periods[n][1] >= self.scenario.close:
            # End of the day: the counter stays until the center is empty.
            run.overtime = True
            self.set_info(run, open_until=None)
            return
        if run.ticket is not None:
            run.leaving = True
        else:
            self.go_off(run)

    def go_off(self, run: CounterRun) -> None:
        n = run.period
        nxt = run.spec.periods[n + 1][0] if n + 1 < len(run.spec.periods) else None
        state = "break" if nxt is not None else "closed"
        self.set_info(run, state=state, busy_until=None, open_until=None, opens_at=nxt)

    def end_service(self, run: CounterRun) -> None:
        ticket = run.ticket
        assert ticket is not None
        run.ticket = None
        self.in_service -= 1
        run.busy += self.now - run.start
        end = run.spec.periods[run.period][1]
        if self.now > end:
            run.staffed += self.now - max(end, run.start)
        service = ticket.info.service
        self.sums[service] += ticket.duration
        self.counts[service] += 1
        self.means[service] = self.sums[service] / self.counts[service]
        citizen = ticket.citizen
        if ticket.first and citizen.second is not None:
            code, duration, patience = citizen.second
            self.issue(citizen, code, duration, patience, first=False)
        if run.leaving:
            run.leaving = False
            self.go_off(run)
        else:
            self.set_info(run, state="free", busy_until=None)
            self.poll(run.spec.entity)

    def poll(self, entity: str) -> None:
        """Ask the free counters of `entity`, in order, until no one calls anyone."""
        queue = self.waiting[entity]
        progress = True
        while progress and queue:
            progress = False
            for run in self.counters[entity]:
                if not queue:
                    return
                if run.info.state == "free" and self.ask(run, entity):
                    progress = True

    def ask(self, run: CounterRun, entity: str) -> bool:
        queue = self.waiting[entity]
        tid = choose(run.info, self.snapshot(entity), self.config)
        if tid is None:
            if any(can_serve(run.info, t) for t in queue):
                self.retry(entity)
            return False
        ticket = self.by_id[tid]
        if ticket.called is not None or ticket.abandoned or not can_serve(run.info, ticket.info):
            raise RuntimeError(f"policy {self.config.name!r} chose ticket {tid} wrongly")
        queue.remove(ticket.info)
        ticket.called = self.now
        bisect.insort(self.called_waits, max(0.0, self.now - ticket.info.arrived))
        ticket.counter = run.spec.id
        run.ticket = ticket
        run.start = self.now
        run.served += 1
        self.in_service += 1
        expected = self.means.get(ticket.info.service, ticket.duration)
        self.set_info(run, state="busy", busy_until=self.now + expected)
        self.push(self.now + ticket.duration, END, run)
        return True

    def retry(self, entity: str) -> None:
        at = self.now + RETRY_SECONDS
        if self.poll_at.get(entity, math.inf) > at:
            self.poll_at[entity] = at
            self.push(at, POLL, entity)

    def sample(self) -> None:
        for entity, queue in self.waiting.items():
            if not queue:
                continue
            for tid, est in estimate_queue(self.snapshot(entity), self.config).items():
                self.by_id[tid].samples.append((self.now, est))


def run_day(
    scenario: Scenario,
    citizens: Sequence[Citizen],
    config: PolicyConfig,
    estimate: bool = True,
    history: float | None = None,
) -> DayRecord:
    return Day(scenario, citizens, config, estimate, history).run()


def history_p95(scenario: Scenario, config: PolicyConfig, seed: int) -> float | None:
    """`Snapshot.wait_p95_history` for days of `scenario`: the mean final p95
    wait of HISTORY_WEEKS past days, other citizens of the same scenario (seeds
    apart from the replications') replayed by `config` without a history, as
    the server reads the past weeks of the same weekday. None for a policy
    that does not use it (only `mac` does, with `tail_history` above 0)."""
    if config.name != "mac" or mac_params(config.params)["tail_history"] <= 0:
        return None
    finals = []
    for week in range(1, HISTORY_WEEKS + 1):
        citizens = generate_citizens(scenario, history_seed(seed, week))
        day = Day(scenario, citizens, config, estimate=False)
        day.run()
        finals.append(day_p95(day.called_waits))
    return past_p95(finals)
