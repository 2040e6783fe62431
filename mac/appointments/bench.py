"""`mac bench booking`: hold and confirm from many concurrent clients, and a
race for one place.

Clients are threads with their own database connection, spread over client
processes (as server workers would be). Each booking is a citizen's two
steps: hold a place, then confirm it with a document and a contact (which
also logs the confirmation email and schedules its delivery and reminders,
as in production). In a scratch database:

1. saturation: every client holds as fast as it can for `duration` seconds,
   then confirms its holds as fast as it can: holds/s and confirms/s;
2. steady load: `rate` bookings per second offered on a fixed schedule for
   `duration` seconds; a hold's latency counts from its scheduled time (a
   backlog counts against the server), a confirm's from the hold's return;
3. race: `race` requests released together for one slot of capacity 1, each
   for a different person.

Then it counts overbooked slots: slots whose places held or booked exceed
their capacity, by their counter or by their bookings (must be 0)."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from mac.appointments import actions
from mac.appointments.errors import AppointmentError
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import agenda
from mac.core.bench import machine, summary_ms
from mac.core.bench.spawn import run_client
from mac.core.calendar import today_lima

CLIENT = "mac.appointments.bench:client_process"
RACE_CONNECTIONS = 40
# No limit of the no-hoarding set stands in the way of a load test's many
# people; the limits' cost is still paid on each booking.
# The clients call the actions, as a page or the API does once a citizen's
# proof of work is checked (mac/core/pow.py): the benchmark measures booking,
# not the client's solving (nor the server's check, one hash and one insert).
BENCH_SETTINGS = {"MAX_PER_ADDRESS_DAY": 10**9, "POW_REQUIRED": False}


def _dni(n: int) -> str:
    return f"{10_000_000 + n:08d}"


def _address(k: int) -> str:
    """The client address of booking k: one of its own, as a citizen's is.
    Holds from one address wait for each other (the per-address limit's lock,
    `actions.limits._check_address`): one address for a process's clients would
    measure that queue, which no citizen meets."""
    return f"10.{k >> 16 & 255}.{k >> 8 & 255}.{k & 255}"


def _setup(days: int) -> tuple[int, list[int], int]:
    from mac.centers.models import OpeningHours
    from mac.core.testing import make_entity
    from mac.queueing.testing import make_counter, queue_center, queue_service

    center = queue_center("bench-citas", name="Centro MAC de prueba de citas")
    # Open around the clock from 06:00 to 22:00, every day of the week.
    OpeningHours.objects.filter(center=center).delete()
    for weekday in range(7):
        OpeningHours.objects.create(
            center=center, weekday=weekday, opens=dt.time(6, 0), closes=dt.time(22, 0)
        )
    reniec = make_entity("RENIEC")
    services = [queue_service(reniec, f"Trámite {n + 1} con cita", center) for n in range(2)]
    race_service = queue_service(reniec, "Trámite de la carrera", center)
    # A counter serves them: no booking is taken for a service nobody serves.
    make_counter(center, reniec, 1, [*services, race_service])
    slot_ids: list[int] = []
    for service in services:
        agenda(center, service, counters=4, slot_minutes=15, lead_minutes=0, horizon_days=days)
        for n in range(1, days + 1):
            with contextlib.suppress(AppointmentError):  # a national holiday
                slot_ids += [
                    s.pk for s in actions.open_day(center, service, today_lima() + dt.timedelta(n))
                ]
    agenda(center, race_service, counters=1, per_counter=1, slot_minutes=15, lead_minutes=0)
    # The race takes the first bookable day from the day after tomorrow (not a
    # holiday: the bench failed on 7 December, the 9th being one).
    for n in range(2, days + 1):
        with contextlib.suppress(AppointmentError):
            race_slot = actions.open_day(center, race_service, today_lima() + dt.timedelta(n))[0]
            break
    else:
        raise RuntimeError("no bookable day in the horizon for the race")
    return center.pk, slot_ids, race_slot.pk


@dataclass
class _Plan:
    db: dict[str, Any]
    slots: list[int]
    race_slot: int
    clients: int  # threads in this process
    process: int
    processes: int
    rate: float
    duration: float
    race: int


def _closing(work: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    return run


def _threads(workers: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=_closing(w)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


class _Client:
    def __init__(self, plan: _Plan):
        from django.conf import settings

        from mac.catalog.models import Service

        settings.APPOINTMENTS = BENCH_SETTINGS
        self.plan = plan
        self.slots = list(Slot.objects.filter(pk__in=plan.slots).order_by("pk"))
        self.services = {
            s.pk: s for s in Service.objects.filter(pk__in={s.service_id for s in self.slots})
        }
        race = Slot.objects.select_related("service").get(pk=plan.race_slot)
        self.race_slot, self.race_service = race, race.service
        connection.close()
        self.people = iter(range(plan.process, 10**8, plan.processes))
        self.lock = threading.Lock()

    def person(self) -> str:
        with self.lock:
            return _dni(next(self.people))

    def hold(self, k: int) -> Booking:
        slot = self.slots[k % len(self.slots)]
        return actions.hold(slot.pk, self.services[slot.service_id], client_address=_address(k))

    def confirm(self, held: Booking) -> None:
        actions.confirm(
            held.token,
            document_type="dni",
            document_number=self.person(),
            email=f"{held.pk}@example.pe",
        )

    def saturate(self) -> tuple[int, int, float, float]:
        plan = self.plan
        deadline = time.time() + plan.duration
        held: list[list[Booking]] = [[] for _ in range(plan.clients)]
        counter = iter(range(plan.process, 10**9, plan.processes))

        def holder(i: int) -> Callable[[], None]:
            def work() -> None:
                while time.time() < deadline:
                    with self.lock:
                        k = next(counter)
                    with contextlib.suppress(AppointmentError):  # full: try the next
                        held[i].append(self.hold(k))

            return work

        began = time.time()
        _threads([holder(i) for i in range(plan.clients)])
        hold_seconds = time.time() - began
        confirmed = [0] * plan.clients

        def confirmer(i: int) -> Callable[[], None]:
            def work() -> None:
                for booking in held[i]:
                    self.confirm(booking)
                    confirmed[i] += 1

            return work

        began = time.time()
        _threads([confirmer(i) for i in range(plan.clients)])
        return sum(len(h) for h in held), sum(confirmed), hold_seconds, time.time() - began

    def steady(self, start: float) -> dict[str, list[float]]:
        plan = self.plan
        due_times = [
            start + k / plan.rate
            for k in range(plan.process, int(plan.rate * plan.duration), plan.processes)
        ]
        lat: dict[str, list[float]] = {"hold": [], "confirm": []}
        jobs = iter(enumerate(due_times))

        def citizen() -> None:
            while True:
                with self.lock:
                    job = next(jobs, None)
                if job is None:
                    return
                k, due = job
                pause = due - time.time()
                if pause > 0:
                    time.sleep(pause)
                held = None
                for attempt in range(len(self.slots)):
                    try:
                        held = self.hold(k * plan.processes + plan.process + 7919 + attempt)
                        break
                    except AppointmentError:
                        continue  # full: the citizen picks the next slot
                held_at = time.time()
                if held is None:
                    return
                self.confirm(held)
                done = time.time()
                with self.lock:
                    lat["hold"].append(held_at - due)
                    lat["confirm"].append(done - held_at)

        _threads([citizen for _ in range(plan.clients)])
        return lat

    def race(self, barrier: Any) -> tuple[int, int]:
        """This process's share of the race; (booked, refused as full).

        PostgreSQL takes 100 connections by default, so the requests are
        fired over at most RACE_CONNECTIONS connections in all, each sending
        its share back to back once all are released together."""
        plan = self.plan
        mine = list(range(plan.process, plan.race, plan.processes))
        lanes = max(1, min(len(mine), RACE_CONNECTIONS // plan.processes))
        local = threading.Barrier(lanes)
        results: list[str] = []

        def lane(share: list[int]) -> Callable[[], None]:
            def work() -> None:
                try:
                    connection.ensure_connection()
                finally:
                    local.wait()  # released together, connected or not
                for n in share:
                    try:
                        actions.book(
                            plan.race_slot,
                            self.race_service,
                            document_type="dni",
                            document_number=_dni(50_000_000 + n),
                            email=f"r{n}@example.pe",
                        )
                        outcome = "booked"
                    except AppointmentError as refused:
                        outcome = refused.code
                    with self.lock:
                        results.append(outcome)

            return work

        barrier.wait()
        _threads([lane(mine[i::lanes]) for i in range(lanes)])
        return results.count("booked"), results.count("slot_full")


def client_process(fields: dict[str, Any], barrier: Any, starts: Any, results: Any) -> None:
    client = _Client(_Plan(**fields))
    barrier.wait()
    results.put(client.saturate())
    barrier.wait()
    results.put(client.steady(starts.get()))
    results.put(client.race(barrier))


def overbooked_slots() -> int:
    """Slots whose counter exceeds their capacity, or whose bookings holding
    a place (unexpired holds, confirmed, checked in, missed) exceed it."""
    now = timezone.now()
    by_counter = Slot.objects.filter(taken__gt=F("capacity")).count()
    by_rows = (
        Slot.objects.annotate(
            places=Count(
                "bookings",
                filter=Q(bookings__status__in=Booking.PLACE_STATUSES)
                & ~Q(bookings__status=Booking.Status.HELD, bookings__hold_until__lte=now),
            )
        )
        .filter(places__gt=F("capacity"))
        .count()
    )
    return by_counter + by_rows


def bench_booking(
    *,
    bookings_rate: float = 50.0,
    booking_clients: int = 48,
    duration: float = 20.0,
    race: int = 200,
    processes: int = 4,
    log: Callable[[str], None],
    **options: Any,
) -> dict[str, Any]:
    import multiprocessing

    from django.conf import settings

    settings.APPOINTMENTS = BENCH_SETTINGS
    rate = bookings_rate
    log(f"Preparando: agenda de 30 días, {booking_clients} clientes en {processes} procesos...")
    _center, slot_ids, race_slot = _setup(days=30)
    db = {k: connection.settings_dict[k] for k in ("NAME", "USER", "HOST", "PORT", "PASSWORD")}
    connection.close()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes + 1)
    starts = context.Queue()
    results = context.Queue()
    per_process = max(1, booking_clients // processes)
    workers = []
    for p in range(processes):
        plan = _Plan(
            db=db,
            slots=slot_ids,
            race_slot=race_slot,
            clients=per_process,
            process=p,
            processes=processes,
            rate=rate,
            duration=duration,
            race=race,
        )
        workers.append(
            context.Process(
                target=run_client, args=(CLIENT, db, asdict(plan), barrier, starts, results)
            )
        )
    for w in workers:
        w.start()
    log(f"Saturación: {duration:.0f} s reservando, luego confirmando...")
    barrier.wait()
    rows = [results.get(timeout=900) for _ in workers]
    saturation = {
        "hold": round(sum(r[0] for r in rows) / max(r[2] for r in rows), 1),
        "confirm": round(sum(r[1] for r in rows) / max(r[3] for r in rows), 1),
    }
    log(f"Carga constante: {rate:.0f} citas/s durante {duration:.0f} s...")
    barrier.wait()
    start = time.time() + 0.5
    for _ in workers:
        starts.put(start)
    lat: dict[str, list[float]] = {"hold": [], "confirm": []}
    for part in [results.get(timeout=900) for _ in workers]:
        for key in lat:
            lat[key] += part[key]
    log(f"Carrera: {race} pedidos a la vez por un cupo...")
    barrier.wait()
    race_rows = [results.get(timeout=900) for _ in workers]
    for w in workers:
        w.join()
    booked, full = sum(r[0] for r in race_rows), sum(r[1] for r in race_rows)
    overbooked = overbooked_slots()
    steady: dict[str, Any] = {
        "offered_per_s": rate,
        "bookings": len(lat["confirm"]),
        "hold": summary_ms(lat["hold"]),
        "confirm": summary_ms(lat["confirm"]),
    }
    lines = [
        f"mac bench booking — {machine()}",
        f"{per_process * processes} clientes en {processes} procesos",
        f"saturation: hold {saturation['hold']:.1f}/s, confirm {saturation['confirm']:.1f}/s",
        f"steady load {rate:.0f} bookings/s (hold + confirm) for {duration:.0f} s, "
        f"{steady['bookings']} bookings:",
    ]
    for op in ("hold", "confirm"):
        row = steady[op]
        lines.append(f"  {op:<8} p50 {row['p50_ms']:>7.2f} ms   p99 {row['p99_ms']:>7.2f} ms")
    lines.append(
        f"race: {race} requests for one place of capacity 1: {booked} booked, {full} refused "
        f"as full; overbooked slots: {overbooked}"
    )
    return {
        "benchmark": "booking",
        "machine": machine(),
        "clients": {"threads": per_process * processes, "processes": processes},
        "saturation_per_s": saturation,
        "steady": steady,
        "race": {"requests": race, "booked": booked, "refused_full": full},
        "overbooked_slots": overbooked,
        "table": "\n".join(lines),
    }
