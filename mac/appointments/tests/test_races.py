"""Race safety with real concurrent connections on PostgreSQL (threads, one
connection each). SQLite has one writer at a time: no race to prove there.

PostgreSQL's default allows 100 connections, shared with other test runs and
with the other test process (`make test` runs two), so `n` requests go over at
most MAX_LANES connections (fewer if fewer are free), all released together,
each connection sending its share back to back."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.test import Client

from mac.appointments import actions
from mac.appointments.actions import holding, managing
from mac.appointments.errors import AppointmentError
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import DNI, OTHER_DNI
from mac.core import pow
from mac.core.models import AuditLog, SpentChallenge
from mac.core.testing import race as shared_race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has a single writer"
    ),
]
LANES = 16
# The other test process may race at the same time (the queue's races take 24).
MAX_LANES = 40
DAY = dt.date(2026, 12, 2)
NOW = dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.UTC)


def free_connections() -> int:
    """Connections PostgreSQL can still open, keeping 10 for everyone else."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
        )
        (free,) = cursor.fetchone()
    return int(free) - 10


def race(n: int, work: Callable[[int], Any]) -> list[Any]:
    """work(0..n-1) over MAX_LANES connections, or as many as PostgreSQL can
    open (at least LANES), released together; results or the AppointmentError's
    code."""
    lanes = max(LANES, min(MAX_LANES, free_connections()))
    return shared_race(n, work, lanes=lanes, refused=(AppointmentError,))


def dni(i: int) -> str:
    return f"{20_000_000 + i:08d}"


def places_by_rows() -> dict[int, int]:
    return dict(
        Slot.objects.annotate(
            places=Count("bookings", filter=Q(bookings__status__in=Booking.PLACE_STATUSES))
        ).values_list("pk", "places")
    )


def _outcome(work: Callable[[], Any]) -> Any:
    """work's result, or the code of its refusal, or the class of a database
    error (a deadlock is an OperationalError); the thread's connection closed."""
    try:
        return work()
    except AppointmentError as refused:
        return refused.code
    except DatabaseError as error:
        return type(error).__name__
    finally:
        connection.close()


def _blocked_or_done(thread: threading.Thread, timeout: float = 10.0) -> None:
    """Wait until `thread` ended or some connection to the test database
    waits for a lock (the other thread's)."""
    deadline = time.monotonic() + timeout
    while thread.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            (waiting,) = cursor.fetchone()
        if waiting:
            return
        time.sleep(0.02)


def interleave(
    monkeypatch: pytest.MonkeyPatch,
    module: ModuleType,
    pause_at: str,
    first: Callable[[], Any],
    second: Callable[[], Any],
    *,
    after: bool = True,
) -> tuple[Any, Any]:
    """Run `first` until it calls <module>.<pause_at> (pausing just after the
    call, or just before it), then `second` until it waits for a lock or
    ends, then let `first` go on: the interleaving that a lock-order or a
    lost-update bug needs, made certain. `module` is the actions' module
    whose action `first` runs: the name it looks up. The outcomes of both
    (see _outcome)."""
    real = getattr(module, pause_at)
    reached, go = threading.Event(), threading.Event()

    def paused(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name != "first" or go.is_set():
            return real(*args, **kwargs)
        result = real(*args, **kwargs) if after else None
        reached.set()
        go.wait(10)
        return result if after else real(*args, **kwargs)

    monkeypatch.setattr(module, pause_at, paused)
    outcomes: dict[str, Any] = {}

    def run(name: str, work: Callable[[], Any]) -> None:
        outcomes[name] = _outcome(work)

    one = threading.Thread(name="first", target=run, args=("first", first))
    two = threading.Thread(name="second", target=run, args=("second", second))
    one.start()
    assert reached.wait(10), f"the first action never reached {pause_at}"
    two.start()
    _blocked_or_done(two)
    go.set()
    one.join(30)
    two.join(30)
    return outcomes["first"], outcomes["second"]


@pytest.fixture
def day_slots(setup):
    return actions.open_day(setup.center, setup.service, DAY, now=NOW)


def test_200_requests_for_one_place_give_exactly_one_booking(setup, day_slots):
    slot = day_slots[0]

    def book(i: int) -> str:
        actions.book(
            slot.pk,
            setup.service,
            document_type="dni",
            document_number=dni(i),
            email=f"p{i}@x.pe",
            now=NOW,
        )
        return "booked"

    assert Tally(race(200, book)) == {"booked": 1, "slot_full": 199}
    slot.refresh_from_db()
    assert (slot.taken, Booking.objects.count(), places_by_rows()[slot.pk]) == (1, 1, 1)


def test_holds_that_ran_out_free_their_places_for_the_racers(setup, day_slots):
    setup.agenda.counters = 2
    setup.agenda.save()
    slot = actions.open_day(setup.center, setup.service, DAY, now=NOW)[1]
    held = [actions.hold(slot.pk, setup.service, now=NOW) for _ in range(2)]
    later = NOW + dt.timedelta(minutes=10)

    def book(i: int) -> str:
        return actions.book(
            slot.pk,
            setup.service,
            document_type="dni",
            document_number=dni(i),
            email=f"p{i}@x.pe",
            now=later,
        ).status

    results = race(60, book)
    assert Tally(results) == {"confirmed": 2, "slot_full": 58}
    slot.refresh_from_db()
    assert slot.taken == 2
    assert {b.status for b in Booking.objects.filter(pk__in=[h.pk for h in held])} == {"expired"}
    assert places_by_rows()[slot.pk] == 2


def test_one_person_racing_for_many_slots_gets_one_booking(setup, day_slots):
    def book(i: int) -> str:
        return actions.book(
            day_slots[i].pk,
            setup.service,
            document_type="dni",
            document_number=DNI,
            email="a@x.pe",
            now=NOW,
        ).status

    results = race(20, book)
    assert Tally(results) == {"confirmed": 1, "limit_document_service": 19}
    assert sum(Slot.objects.values_list("taken", flat=True)) == 1


def test_a_hold_confirmed_many_times_at_once_is_confirmed_once(setup, day_slots):
    held = actions.hold(day_slots[0].pk, setup.service, now=NOW)

    def confirm(i: int) -> str:
        return actions.confirm(
            held.token, document_type="dni", document_number=DNI, email="a@x.pe", now=NOW
        ).status

    assert Tally(race(20, confirm)) == {"confirmed": 1, "already_confirmed": 19}
    assert Booking.objects.get().status == "confirmed"


def test_rescheduling_races_leave_one_booking_in_one_place(setup, day_slots):
    """The citizen moves the booking to 12 slots at once while 12 others book
    those same slots and the citizen also cancels: never two bookings nor
    none, and every slot's counter equals its bookings."""
    mine = actions.book(
        day_slots[0].pk,
        setup.service,
        document_type="dni",
        document_number=DNI,
        email="a@x.pe",
        now=NOW,
    )
    targets = day_slots[1:13]

    def work(i: int) -> str:
        if i < 12:
            return actions.reschedule(
                mine.code, document_type="dni", document_number=DNI, slot_id=targets[i].pk, now=NOW
            ).status
        if i < 24:
            return actions.book(
                targets[i - 12].pk,
                setup.service,
                document_type="dni",
                document_number=dni(i),
                email=f"p{i}@x.pe",
                now=NOW,
            ).status
        return actions.cancel(mine.code, document_type="dni", document_number=DNI, now=NOW).status

    race(25, work)
    assert Booking.objects.filter(document_number=DNI).count() == 1
    mine.refresh_from_db()
    counters = dict(Slot.objects.values_list("pk", "taken"))
    assert counters == places_by_rows()
    assert all(taken <= 1 for taken in counters.values())
    if mine.status == "confirmed":
        assert counters[mine.slot_id] == 1
    else:
        assert mine.status == "cancelled"
    assert Booking.objects.filter(document_number=OTHER_DNI).count() == 0


def test_a_hold_confirmed_while_another_takes_its_lapsing_place_stays_confirmed(
    setup, day_slots, monkeypatch
):
    """The citizen confirms a second before the hold runs out while someone
    else, a second after, wants the slot's only place: the confirmation
    holds the booking row when the other lists the lapsed holds. The
    confirmed booking keeps its place and the other is refused."""
    slot = day_slots[0]
    held = actions.hold(slot.pk, setup.service, now=NOW)
    expiry = held.hold_until
    assert expiry is not None

    confirmed, other = interleave(
        monkeypatch,
        holding,
        "_check_limits",
        lambda: (
            actions.confirm(
                held.token,
                document_type="dni",
                document_number=DNI,
                email="a@x.pe",
                now=expiry - dt.timedelta(seconds=1),
            ).status
        ),
        lambda: actions.hold(slot.pk, setup.service, now=expiry + dt.timedelta(seconds=1)).status,
    )

    assert (confirmed, other) == ("confirmed", "slot_full")
    held.refresh_from_db()
    slot.refresh_from_db()
    assert (held.status, held.document_number) == ("confirmed", DNI)
    assert (slot.taken, Booking.objects.count(), places_by_rows()[slot.pk]) == (1, 1, 1)


def test_booking_while_the_same_person_cancels_does_not_deadlock(setup, day_slots, monkeypatch):
    """cancel locks the person, then the slot; book used to lock the slot
    (holding) before the person (confirming): each waited for the other."""
    setup.agenda.per_counter = 2
    setup.agenda.save()
    slot = actions.open_day(setup.center, setup.service, DAY, now=NOW)[0]
    mine = actions.book(
        slot.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe", now=NOW
    )

    cancelled, booked = interleave(
        monkeypatch,
        managing,
        "_lock_person",
        lambda: actions.cancel(mine.code, document_type="dni", document_number=DNI, now=NOW).status,
        lambda: (
            actions.book(
                slot.pk,
                setup.service,
                document_type="dni",
                document_number=DNI,
                email="a@x.pe",
                now=NOW,
            ).status
        ),
    )

    assert (cancelled, booked) == ("cancelled", "confirmed")
    slot.refresh_from_db()
    assert sorted(Booking.objects.values_list("status", flat=True)) == ["cancelled", "confirmed"]
    assert (slot.taken, places_by_rows()[slot.pk]) == (1, 1)


def test_releasing_a_hold_while_another_takes_its_lapsed_place_does_not_deadlock(
    setup, day_slots, monkeypatch
):
    """release locked the hold, then the slot; taking a place locks the slot,
    then expires the lapsed holds standing in the way: each waited for the
    other. The hold is given back once."""
    slot = day_slots[0]
    held = actions.hold(slot.pk, setup.service, now=NOW)
    assert held.hold_until is not None
    later = held.hold_until + dt.timedelta(seconds=1)

    released, other = interleave(
        monkeypatch,
        holding,
        "_lock_slot",
        lambda: actions.release(held.token, now=later).status,
        lambda: actions.hold(slot.pk, setup.service, now=later).status,
        after=False,
    )

    assert (released, other) == ("not_held", "held")
    held.refresh_from_db()
    slot.refresh_from_db()
    assert held.status == "expired"
    assert (slot.taken, Booking.objects.count(), places_by_rows()[slot.pk]) == (1, 2, 1)


def test_one_proof_of_work_sent_by_many_clients_at_once_holds_one_place(setup, day_slots, settings):
    """An anonymous API client's proof is spent once (mac/core/pow.py, a
    unique salt), even when a bot sends the same one on many connections."""
    settings.APPOINTMENTS = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}
    proof = pow.solve(
        pow.new_challenge(purpose=pow.Purpose.APPOINTMENTS, max_number=10, seconds=600)
    )

    def hold(i: int) -> Any:
        response = Client().post(
            "/api/v1/appointments/holds",
            {"slot": day_slots[i % len(day_slots)].pk, "service": setup.service.pk},
            content_type="application/json",
            HTTP_X_PROOF_OF_WORK=proof,
        )
        return response.status_code, response.json().get("code")

    assert Tally(race(40, hold)) == {(201, None): 1, (403, "pow_invalid"): 39}
    assert (Booking.objects.count(), SpentChallenge.objects.count()) == (1, 1)
    assert sum(Slot.objects.values_list("taken", flat=True)) == 1


BOT = "203.0.113.9"


def test_holds_racing_from_one_address_stop_at_its_daily_limit(setup, settings):
    """The per-address limit counted, then inserted, with nothing between:
    40 holds at once from one address got past a limit of 20 (each counted
    the others' uncommitted holds as none). Now exactly 20 are held and the
    rest refused, while 10 holds from other addresses, racing with them, are
    all held."""
    settings.APPOINTMENTS = {**settings.APPOINTMENTS, "MAX_PER_ADDRESS_DAY": 20}
    setup.agenda.per_counter = 3
    setup.agenda.save()
    slots = actions.open_day(setup.center, setup.service, DAY, now=NOW)

    def hold(i: int) -> str:
        address = BOT if i < 40 else f"198.51.100.{i}"
        return actions.hold(
            slots[i % len(slots)].pk, setup.service, client_address=address, now=NOW
        ).status

    results = race(50, hold)

    assert (Tally(results[:40]), Tally(results[40:])) == (
        {"held": 20, "limit_address": 20},
        {"held": 10},
    )
    assert Booking.objects.filter(client_address=BOT).count() == 20
    assert Booking.objects.exclude(client_address=BOT).count() == 10
    assert AuditLog.objects.filter(action="appointments.limit_reached").count() == 20
    assert dict(Slot.objects.values_list("pk", "taken")) == places_by_rows()


def test_a_hold_waits_for_one_from_its_address_being_counted(
    setup, day_slots, settings, monkeypatch
):
    """The first hold has counted its address's bookings (none, under a limit
    of 1) and has not inserted its own yet; a second one from the same address
    waits, then counts the first: refused."""
    settings.APPOINTMENTS = {**settings.APPOINTMENTS, "MAX_PER_ADDRESS_DAY": 1}

    first, second = interleave(
        monkeypatch,
        holding,
        "_check_address",
        lambda: actions.hold(day_slots[0].pk, setup.service, client_address=BOT, now=NOW).status,
        lambda: actions.hold(day_slots[1].pk, setup.service, client_address=BOT, now=NOW).status,
    )

    assert (first, second) == ("held", "limit_address")
    assert list(Booking.objects.values_list("slot_id", "client_address")) == [
        (day_slots[0].pk, BOT)
    ]


def test_a_hold_from_another_address_does_not_wait_for_one_being_counted(
    setup, day_slots, monkeypatch
):
    """While a hold from one address is paused between its count and its
    insert (holding that address's lock), a hold from another address goes
    through: it does not wait for the first to commit (it would then see its
    booking)."""

    def other() -> tuple[str, int]:
        held = actions.hold(day_slots[1].pk, setup.service, client_address="198.51.100.7", now=NOW)
        return held.status, Booking.objects.filter(client_address=BOT).count()

    first, second = interleave(
        monkeypatch,
        holding,
        "_check_address",
        lambda: actions.hold(day_slots[0].pk, setup.service, client_address=BOT, now=NOW).status,
        other,
    )

    assert (first, second) == ("held", ("held", 0))
    assert Booking.objects.count() == 2
