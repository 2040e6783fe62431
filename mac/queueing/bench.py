"""`mac bench queue`: issue-ticket and call-next from many concurrent clients.

Clients are threads, each with its own database connection, spread over
several client processes (as server workers would be, each with its own
interpreter lock): `kiosks` clients issue tickets, `counters` clients are
advisors who call the next ticket, start and finish it. In a scratch database:

1. saturation: every client as fast as it can for `duration` seconds, each
   operation alone (kiosks only, then counters only, from a queue of
   CALL_BACKLOG_PER_S x `duration` tickets): operations per second;
2. steady load: `rate` operations per second offered on a fixed schedule
   (open loop: the schedule does not wait for the answers), a ticket being
   four operations (issue, call, start, finish), for `duration` seconds.
   Latency is measured from the scheduled start, so a backlog counts against
   the server (no coordinated omission); every client thread has its database
   connection open before the first operation is due, and the queue starts
   with `prefill` tickets waiting (it stays about there: tickets are issued
   as fast as they are called).

Then it counts duplicate calls: tickets called more than once or held by two
counters (must be 0).
"""

from __future__ import annotations

import datetime as dt
import queue as queues
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from mac.catalog.models import Entity, Service
from mac.centers.models import Center, OpeningException, OpeningHours
from mac.core.bench import machine, summary_ms
from mac.core.bench.spawn import run_client
from mac.core.calendar import today_lima
from mac.queueing import actions
from mac.queueing.models import Counter, Ticket, TicketEvent
from mac.queueing.testing import make_entity, queue_center, queue_service, staffed_counter

CLIENT = "mac.queueing.bench:client_process"
OPERATIONS = ("issue_ticket", "call_next", "start", "finish")
# Tickets left waiting for the counters' saturation phase, per second of it.
CALL_BACKLOG_PER_S = 200
# Calls a steady-load cycle gets (each by whichever counter is next) before it
# is given up as unserved.
CALL_TRIES = 5
ENTITIES = ["RENIEC", "SUNAT", "SUNARP", "MIGRACIONES", "ESSALUD", "ONP", "PNP", "BN"]


def _setup(n_counters: int, policy: str) -> tuple[Center, list[Service], list[tuple[Counter, Any]]]:
    center = queue_center("bench-queue", name="Centro MAC de prueba de carga", policy=policy)
    # Open around the clock, so the benchmark runs at any hour.
    OpeningHours.objects.filter(center=center).delete()
    for weekday in range(7):
        OpeningHours.objects.create(
            center=center, weekday=weekday, opens=dt.time(0, 0), closes=dt.time(23, 59, 59)
        )
    # Holidays and declared non-working days close a center unless it has an
    # exception for the day: open today and tomorrow whatever they are.
    today = today_lima()
    for day in (today, today + dt.timedelta(days=1)):
        OpeningException.objects.update_or_create(
            center=center,
            date=day,
            defaults={
                "closed": False,
                "opens": dt.time(0, 0),
                "closes": dt.time(23, 59, 59),
                "reason": "Prueba de carga",
            },
        )
    entities: list[Entity] = [make_entity(a) for a in ENTITIES]
    services = [
        queue_service(e, f"Trámite {i + 1} de {e.acronym}", center, series=f"{e.acronym[0]}{i}")
        for e in entities
        for i in range(3)
    ]
    staff = []
    for n in range(n_counters):
        rank, k = divmod(n, len(entities))  # the counter's rank in its entity k
        # Two or three skills, alternating within each entity, so that every
        # service has counters (with `n % 2`, as before, all the counters of an
        # entity had the same skills and four services had none).
        skills = services[k * 3 : k * 3 + 2 + (rank % 2)]
        staff.append(staffed_counter(center, entities[k], n + 1, skills, now=timezone.now()))
    return center, services, staff


def _closing(work: Callable[[], None], connected: threading.Barrier | None) -> Callable[[], None]:
    def run() -> None:
        try:
            connection.ensure_connection()  # as a server worker's would be: already open
            if connected is not None:
                connected.wait()
            work()
        finally:
            connection.close()

    return run


def _run_threads(
    workers: list[Callable[[], None]], connected: threading.Barrier | None = None
) -> list[threading.Thread]:
    """Start a thread per worker, each with its own connection; with
    `connected`, each waits there once its connection is open."""
    threads = [threading.Thread(target=_closing(w, connected)) for w in workers]
    for t in threads:
        t.start()
    return threads


def _serve(counter: Counter, advisor: Any) -> bool:
    """One call-next cycle: call, start, finish. False when nobody waits."""
    ticket = actions.call_next(counter, by=advisor)
    if ticket is None:
        return False
    actions.start(ticket, by=advisor)
    actions.finish(ticket, by=advisor)
    return True


@dataclass
class _Plan:
    """What one client process does."""

    db: dict[str, Any]
    center: int
    services: list[int]
    kiosks: list[int]
    counters: list[tuple[int, int]]  # (counter id, advisor id)
    process: int
    processes: int
    rate: float
    duration: float


class _Client:
    def __init__(self, plan: _Plan):
        from mac.accounts.models import User

        self.plan = plan
        self.center = Center.objects.get(pk=plan.center)
        self.services = list(Service.objects.filter(pk__in=plan.services).order_by("pk"))
        self.staff = [(Counter.objects.get(pk=c), User.objects.get(pk=a)) for c, a in plan.counters]
        connection.close()

    def issue(self, kiosk: int, n: int) -> None:
        services = self.services
        actions.issue_ticket(self.center, services[(kiosk + n) % len(services)])

    def saturate_issue(self) -> int:
        deadline = time.time() + self.plan.duration
        counts = [0] * len(self.plan.kiosks)

        def kiosk(i: int) -> Callable[[], None]:
            def work() -> None:
                while time.time() < deadline:
                    self.issue(self.plan.kiosks[i], counts[i])
                    counts[i] += 1

            return work

        for t in _run_threads([kiosk(i) for i in range(len(counts))]):
            t.join()
        return sum(counts)

    def saturate_calls(self) -> int:
        deadline = time.time() + self.plan.duration
        counts = [0] * len(self.staff)

        def desk(i: int) -> Callable[[], None]:
            def work() -> None:
                while time.time() < deadline:
                    if _serve(*self.staff[i]):
                        counts[i] += 1
                    else:  # nobody for this counter now (or left to a narrower one)
                        time.sleep(0.005)

            return work

        for t in _run_threads([desk(i) for i in range(len(counts))]):
            t.join()
        return sum(counts)

    def steady(
        self, ready: Callable[[], float]
    ) -> tuple[dict[str, list[float]], tuple[int, int], float]:
        """A ticket's life is four operations: issue, call, start, finish. At
        `rate` operations per second, tickets are issued at rate/4 and counters
        run call-start-finish cycles at rate/4: cycle k is due at start + k /
        (rate / 4), and so is issue k; this process takes k % processes ==
        process. Each operation's latency counts from its scheduled time (a
        cycle's start and finish are due when its call returns; a call that
        found nobody hands its cycle to the next counter, due when it returned).
        The threads connect first; then `ready()` gives the common start time.
        Returns the latencies, (empty calls, cycles given up) and the time taken."""
        plan = self.plan
        issue_jobs: queues.Queue[float | None] = queues.Queue()
        call_jobs: queues.Queue[tuple[float, int] | None] = queues.Queue()
        lat: dict[str, list[float]] = {op: [] for op in OPERATIONS}
        empty = [0]
        unserved = [0]
        lock = threading.Lock()

        def note(op: str, due: float) -> float:
            now = time.time()
            with lock:
                lat[op].append(now - due)
            return now

        def kiosk(i: int) -> Callable[[], None]:
            def work() -> None:
                n = 0
                while (due := issue_jobs.get()) is not None:
                    self.issue(plan.kiosks[i], n)
                    n += 1
                    note("issue_ticket", due)

            return work

        def desk(i: int) -> Callable[[], None]:
            counter, advisor = self.staff[i]

            def cycle(due: float, tries: int) -> bool:
                """Call, start, finish; False when the call found nobody."""
                ticket = actions.call_next(counter, by=advisor)
                called = note("call_next", due)
                if ticket is None:
                    # Nobody this counter may serve waits (or the policy left
                    # them to a free counter with fewer skills): the cycle goes
                    # back to the queue, due now, for another counter.
                    with lock:
                        empty[0] += 1
                        unserved[0] += tries >= CALL_TRIES
                    if tries < CALL_TRIES:
                        call_jobs.put((called, tries + 1))
                    return False
                actions.start(ticket, by=advisor)
                started = note("start", called)
                actions.finish(ticket, by=advisor)
                note("finish", started)
                return True

            def work() -> None:
                while (job := call_jobs.get()) is not None:
                    try:
                        served = cycle(*job)
                    finally:
                        call_jobs.task_done()
                    if not served:
                        time.sleep(0.005)  # so that a counter waiting for work takes it

            return work

        workers = [kiosk(i) for i in range(len(plan.kiosks))]
        workers += [desk(i) for i in range(len(self.staff))]
        connected = threading.Barrier(len(workers) + 1)
        threads = _run_threads(workers, connected)
        connected.wait()
        start = ready()
        per_second = plan.rate / 4
        for k in range(plan.process, int(per_second * plan.duration), plan.processes):
            due = start + k / per_second
            pause = due - time.time()
            if pause > 0:
                time.sleep(pause)
            issue_jobs.put(due)
            call_jobs.put((due, 1))
        for _ in plan.kiosks:
            issue_jobs.put(None)
        call_jobs.join()  # every cycle served, or given up after CALL_TRIES calls
        for _ in self.staff:
            call_jobs.put(None)
        for t in threads:
            t.join()
        return lat, (empty[0], unserved[0]), time.time() - start


def client_process(fields: dict[str, Any], barrier: Any, starts: Any, results: Any) -> None:
    """What a spawned client process runs (through mac.core.bench.spawn)."""
    client = _Client(_Plan(**fields))
    barrier.wait()
    issued = client.saturate_issue()
    barrier.wait()  # the parent trims the queue the kiosks left
    barrier.wait()
    called = client.saturate_calls()
    results.put((issued, called))
    barrier.wait()

    def ready() -> float:
        barrier.wait()  # every process's threads are connected
        return float(starts.get())

    results.put(client.steady(ready))


def duplicate_calls() -> int:
    """Tickets called more than once (a recall is not a call) plus tickets held
    by two counters at once."""
    twice = (
        TicketEvent.objects.filter(state=Ticket.State.CALLED)
        .values("ticket")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    held = list(
        Counter.objects.exclude(current_ticket=None).values_list("current_ticket", flat=True)
    )
    return twice + (len(held) - len(set(held)))


def _refill(center: Center, services: list[Service], target: int) -> None:
    backlog = Ticket.objects.filter(center=center, state=Ticket.State.WAITING).count()
    for n in range(max(0, target - backlog)):
        actions.issue_ticket(center, services[n % len(services)])


def _trim(center: Center, keep: int) -> None:
    """Leave the `keep` oldest tickets waiting, marking the others abandoned:
    the kiosks' saturation phase leaves thousands (more, the faster issuing
    is), and what a call costs grows with the queue. Bench setup, not an
    action: no events, no audit."""
    waiting = Ticket.objects.filter(center=center, state=Ticket.State.WAITING).order_by("id")
    last_kept = waiting.values_list("id", flat=True)[keep - 1 : keep].first() if keep else 0
    if last_kept is not None:
        waiting.filter(id__gt=last_kept).update(
            state=Ticket.State.ABANDONED, ended_at=timezone.now()
        )


def bench_queue(
    *,
    counters: int = 40,
    kiosks: int = 10,
    rate: float = 100.0,
    duration: float = 20.0,
    policy: str = "mac",
    prefill: int = 150,
    processes: int = 4,
    log: Callable[[str], None],
    **options: Any,
) -> dict[str, Any]:
    import multiprocessing

    log(f"Preparando: {counters} módulos, {kiosks} kioscos, política {policy}...")
    center, services, staff = _setup(counters, policy)
    _refill(center, services, prefill)
    db = {k: connection.settings_dict[k] for k in ("NAME", "USER", "HOST", "PORT", "PASSWORD")}
    connection.close()
    processes = max(1, min(processes, counters, kiosks))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes + 1)
    starts = context.Queue()
    results = context.Queue()
    workers = []
    for p in range(processes):
        plan = _Plan(
            db=db,
            center=center.pk,
            services=[s.pk for s in services],
            kiosks=[k for k in range(kiosks) if k % processes == p],
            counters=[(c.pk, a.pk) for i, (c, a) in enumerate(staff) if i % processes == p],
            process=p,
            processes=processes,
            rate=rate,
            duration=duration,
        )
        workers.append(
            context.Process(
                target=run_client,
                args=(CLIENT, db, asdict(plan), barrier, starts, results),
            )
        )
    for w in workers:
        w.start()
    log(f"Saturación: {duration:.0f} s por operación, {processes} procesos cliente...")
    barrier.wait()  # kiosks start
    barrier.wait()  # kiosks done
    # Counters alone, on a queue that lasts the phase at CALL_BACKLOG_PER_S
    # cycles a second (if it runs dry, the rate is only a lower bound).
    _trim(center, int(CALL_BACKLOG_PER_S * duration))
    connection.close()
    barrier.wait()  # counters start
    rows = [results.get() for _ in workers]
    saturation = {
        "issue_ticket": round(sum(r[0] for r in rows) / duration, 1),
        "call_next": round(sum(r[1] for r in rows) / duration, 1),
    }
    dry = Ticket.objects.filter(center=center, state=Ticket.State.WAITING).count() < counters
    _trim(center, prefill)  # the steady load starts from `prefill` waiting
    _refill(center, services, prefill)
    connection.close()
    log(f"Carga constante: {rate:.0f} operaciones/s durante {duration:.0f} s...")
    barrier.wait()  # the clients start their threads
    barrier.wait()  # and have them connected
    start = time.time() + 0.5
    for _ in workers:
        starts.put(start)
    steady_rows = [results.get() for _ in workers]
    for w in workers:
        w.join()
    lat: dict[str, list[float]] = {op: [] for op in OPERATIONS}
    for part, _, _ in steady_rows:
        for key in lat:
            lat[key] += part[key]
    elapsed = max(r[2] for r in steady_rows)
    # A ticket's four operations: an empty call is extra work, not offered load.
    served = len(lat["finish"])
    steady = {
        "offered_per_s": rate,
        "achieved_per_s": round((len(lat["issue_ticket"]) + 3 * served) / elapsed, 1),
        **{op: summary_ms(lat[op]) for op in OPERATIONS},
        "empty_calls": sum(r[1][0] for r in steady_rows),
        "unserved_cycles": sum(r[1][1] for r in steady_rows),
    }
    duplicates = duplicate_calls()
    lines = [
        f"mac bench queue — {machine()}",
        f"{counters} módulos y {kiosks} kioscos en {processes} procesos, política {policy}",
        f"saturation: issue_ticket {saturation['issue_ticket']:.1f}/s, "
        f"call-start-finish cycles {'≥ ' if dry else ''}{saturation['call_next']:.1f}/s"
        + (" (the queue ran out)" if dry else ""),
        f"steady load {rate:.0f} ops/s (a ticket = issue, call, start, finish), "
        f"achieved {steady['achieved_per_s']}/s:",
    ]
    for op in OPERATIONS:
        row = steady[op]
        lines.append(f"  {op:<13} p50 {row['p50_ms']:>7.2f} ms   p99 {row['p99_ms']:>7.2f} ms")
    lines.append(
        f"calls that found nobody: {steady['empty_calls']} (the cycle went to another counter; "
        f"given up: {steady['unserved_cycles']}); duplicate calls: {duplicates}"
    )
    table = "\n".join(lines)
    return {
        "benchmark": "queue",
        "machine": machine(),
        "clients": {"counters": counters, "kiosks": kiosks, "processes": processes},
        "policy": policy,
        "saturation_ops_per_s": saturation,
        "saturation_call_queue_ran_out": dry,
        "steady": steady,
        "duplicate_calls": duplicates,
        "table": table,
    }
