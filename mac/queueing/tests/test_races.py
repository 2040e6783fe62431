"""Race safety with real concurrent connections (one thread, one connection).

These run on PostgreSQL, where row locks decide; on SQLite the whole
database has one writer at a time, so there is no race to prove there.
"""

from __future__ import annotations

import threading
from collections import Counter as Tally
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from mac.queueing import actions
from mac.queueing.errors import Conflict
from mac.queueing.models import AdvisorSession, Attention, Counter, Ticket, TicketEvent
from mac.queueing.testing import (
    OPEN,
    make_advisor,
    make_counter,
    make_entity,
    queue_center,
    queue_service,
    staffed_counter,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has a single writer"
    ),
]


def concurrently(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..n-1) in n threads released together; results or exceptions."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.fixture
def busy_center():  # type: ignore[no-untyped-def]
    center = queue_center("lima-norte", policy="fifo")
    reniec = make_entity("RENIEC")
    dni = queue_service(reniec, "Duplicado de DNI", center, series="R")
    # A counter set up for the service (nobody signed in): a ticket for a
    # service no counter serves is refused at once (service_unstaffed).
    make_counter(center, reniec, 50, [dni])
    return center, reniec, dni


class TestConcurrentCalls:
    def test_it_never_gives_one_ticket_to_two_counters(self, busy_center) -> None:  # type: ignore[no-untyped-def]
        center, reniec, dni = busy_center
        tickets = [actions.issue_ticket(center, dni, now=OPEN) for _ in range(40)]
        staff = [staffed_counter(center, reniec, n, [dni]) for n in range(1, 13)]

        def serve_until_empty(i: int) -> list[int]:
            counter, advisor = staff[i]
            served = []
            while (ticket := actions.call_next(counter, by=advisor, now=OPEN)) is not None:
                actions.start(ticket, by=advisor, now=OPEN)
                actions.finish(ticket, by=advisor, now=OPEN)
                served.append(ticket.pk)
            return served

        results = concurrently(len(staff), serve_until_empty)
        assert not [r for r in results if isinstance(r, Exception)], results
        served = [pk for r in results for pk in r]
        assert sorted(served) == sorted(t.pk for t in tickets)
        calls = Tally(
            TicketEvent.objects.filter(state="called").values_list("ticket_id", flat=True)
        )
        assert set(calls.values()) == {1}
        assert Attention.objects.count() == 40
        assert set(Ticket.objects.values_list("state", flat=True)) == {"done"}


class TestConcurrentIssuing:
    def test_it_numbers_without_duplicates_or_gaps(self, busy_center) -> None:  # type: ignore[no-untyped-def]
        center, reniec, dni = busy_center
        acta = queue_service(reniec, "Acta de nacimiento", center, series="A")
        make_counter(center, reniec, 51, [acta])

        def issue(i: int) -> str:
            return actions.issue_ticket(center, dni if i % 3 else acta, now=OPEN).code

        results = concurrently(24, issue)
        assert not [r for r in results if isinstance(r, Exception)], results
        numbers = {
            series: sorted(Ticket.objects.filter(series=series).values_list("number", flat=True))
            for series in ("R", "A")
        }
        assert numbers == {"R": list(range(1, 17)), "A": list(range(1, 9))}
        assert len(set(results)) == 24


class TestConcurrentFinish:
    def test_it_finishes_a_ticket_once(self, busy_center) -> None:  # type: ignore[no-untyped-def]
        center, reniec, dni = busy_center
        actions.issue_ticket(center, dni, now=OPEN)
        counter, advisor = staffed_counter(center, reniec, 1, [dni])
        ticket = actions.call_next(counter, by=advisor, now=OPEN)
        assert ticket is not None
        actions.start(ticket, by=advisor, now=OPEN)

        results = concurrently(8, lambda i: actions.finish(ticket, by=advisor, now=OPEN))
        finished = [r for r in results if isinstance(r, Attention)]
        refused = [r for r in results if isinstance(r, Conflict)]
        assert (len(finished), len(refused)) == (1, 7)
        assert Attention.objects.filter(ticket=ticket).count() == 1
        assert TicketEvent.objects.filter(ticket=ticket, state="done").count() == 1


class TestConcurrentAddService:
    def test_a_visit_gets_one_open_ticket_per_service(self, busy_center) -> None:  # type: ignore[no-untyped-def]
        # given: a citizen at the orientation desk; eight clicks on "add" at once
        center, reniec, dni = busy_center
        acta = queue_service(reniec, "Copia de acta", center, series="A")
        make_counter(center, reniec, 51, [acta])
        visit = actions.issue_ticket(center, dni, now=OPEN).visit

        # when
        results = concurrently(8, lambda i: actions.add_service(visit, acta, now=OPEN))

        # then
        added = [r for r in results if isinstance(r, Ticket)]
        refused = [r for r in results if isinstance(r, Conflict)]
        assert (len(added), len(refused)) == (1, 7), results
        assert {r.code for r in refused} == {"duplicate"}
        assert Ticket.objects.filter(visit=visit, service=acta).count() == 1


class TestConcurrentSignIn:
    def test_an_advisor_holds_one_counter(self, busy_center) -> None:  # type: ignore[no-untyped-def]
        # given: one advisor, six free counters of their entity
        center, reniec, dni = busy_center
        counters = [make_counter(center, reniec, n, [dni]) for n in range(1, 7)]
        advisor = make_advisor(center, reniec)

        # when: they sign in at all of them at once
        results = concurrently(6, lambda i: actions.sign_in(counters[i], by=advisor, now=OPEN))

        # then: one session; the others are told why, none is a server error
        signed = [r for r in results if isinstance(r, AdvisorSession)]
        refused = [r for r in results if isinstance(r, Conflict)]
        assert (len(signed), len(refused)) == (1, 5), results
        assert {r.code for r in refused} == {"advisor_busy"}
        assert AdvisorSession.objects.filter(advisor=advisor, ended_at=None).count() == 1
        assert Counter.objects.filter(advisor=advisor).count() == 1


class TestConcurrentCounterChanges:
    def test_the_last_counter_a_waiting_ticket_needs_stays_enabled(self, busy_center) -> None:  # type: ignore[no-untyped-def]
        # given: a DNI ticket waits; six counters have the service, nobody signed in
        center, reniec, dni = busy_center
        others = [make_counter(center, reniec, n, [dni]) for n in range(1, 6)]
        counters = [Counter.objects.get(center=center, number=50), *others]
        actions.issue_ticket(center, dni, now=OPEN)

        # when: six coordinators disable one each, at once
        def disable(i: int) -> Counter:
            counter = Counter.objects.get(pk=counters[i].pk)
            counter.active = False
            return actions.save_counter(counter, by=None, changed_fields=["active"], now=OPEN)

        results = concurrently(6, disable)

        # then: one is refused (the others each saw it still enabled); the ticket can be called
        saved = [r for r in results if isinstance(r, Counter)]
        refused = [r for r in results if isinstance(r, Conflict)]
        assert (len(saved), len(refused)) == (5, 1), results
        assert {r.code for r in refused} == {"counter_strands_tickets"}
        assert Counter.objects.filter(center=center, active=True).count() == 1


class TestHistoryReadOnce:
    def test_the_first_calls_of_the_day_read_the_past_weeks_once(
        self, busy_center, monkeypatch
    ) -> None:  # type: ignore[no-untyped-def]
        import datetime as dt

        from mac.queueing import queries

        # given: four weeks of history (20 calls a week ago), nothing cached
        center, _, dni = busy_center
        week_ago = OPEN - dt.timedelta(weeks=1)
        for n in range(20):
            ticket = actions.issue_ticket(center, dni, now=week_ago)
            Ticket.objects.filter(pk=ticket.pk).update(
                state="done", called_at=week_ago + dt.timedelta(minutes=n)
            )
        queries._history_cache.clear()
        reads: list[int] = []
        original = queries._read_history

        def counted(center_id: int, today: dt.date) -> float | None:
            reads.append(center_id)
            return original(center_id, today)

        monkeypatch.setattr(queries, "_read_history", counted)

        # when: eight counters call at once at the start of the day
        results = concurrently(8, lambda i: queries.wait_p95_history(center.pk, OPEN))

        # then: one read, the same value for all
        assert reads == [center.pk]
        assert results == [results[0]] * 8 and results[0] == 18 * 60.0
