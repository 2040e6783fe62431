"""A configuration change made in one worker reaches the caches of every
other within about a second (`cache.CHECK_EVERY`), not `cache.TTL`.

"This worker" is this process's cache module; "another worker" is a thread
with its own database connection whose events no subscriber of this process
hears (another process's would not reach it either): its change reaches the
caches only through the configuration generation it raises in the database
(mac.core.generation). The caches' clock moves only when a test moves it
(`cache_clock`). On PostgreSQL and on SQLite."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mac.catalog.models import Service
from mac.core import events, generation
from mac.queueing import actions, cache
from mac.queueing.models import Counter
from mac.queueing.queries import staffed_services
from mac.queueing.testing import OPEN, HandClock, make_counter, queue_service

from .conftest import Desk
from .test_issue_language_unavailable import everything
from .test_queue_api import login, post

pytestmark = pytest.mark.django_db(transaction=True)

T = TypeVar("T")
READ = 'SELECT value FROM "core_configurationgeneration" WHERE id = 1'


def elsewhere(work: Callable[[], T]) -> T:
    """`work()` as another worker does it: in a thread with its own database
    connection; its events reach no subscriber of this process."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        from django.db import connection as own

        try:
            outcome["value"] = work()
        except Exception as exc:
            outcome["error"] = exc
        finally:
            own.close()

    with mock.patch.object(events, "_subscribers", []):
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(30)
    assert not thread.is_alive()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def disable(counter: Counter) -> Counter:
    counter.active = False
    return actions.save_counter(counter, by=None, changed_fields=["active"])


class Rollback(Exception):
    pass


def disable_and_roll_back(counter: Counter) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        disable(counter)
        raise Rollback


def sql(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


@pytest.fixture
def domicilio(desk: Desk) -> Service:
    """SUNAT's second procedure at Lima Norte, on one counter only (number 5)."""
    service = queue_service(desk.sunat, "Cambio de domicilio fiscal", desk.center, series="D")
    make_counter(desk.center, desk.sunat, 5, [service])
    return service


@pytest.fixture
def warm(desk: Desk, domicilio: Service, client: Client, cache_clock: HandClock) -> Client:
    """This worker has checked the generation and issued a ticket (S-001):
    its caches hold the center's skills, domicilio among the staffed services."""
    cache_clock.advance(cache.CHECK_EVERY)
    login(client, desk.advisor)
    status, ticket = post(client, f"/centers/{desk.center.pk}/tickets", {"service": desk.ruc.pk})
    assert (status, ticket["code"]) == (201, "S-001")
    return client


def last_counter(desk: Desk) -> Counter:
    return Counter.objects.get(center=desk.center, number=5)


class TestAChangeInAnotherWorker:
    def test_after_check_every_the_ticket_is_refused_and_nothing_written(
        self, desk: Desk, domicilio: Service, warm: Client, cache_clock: HandClock
    ) -> None:
        # given: another worker disables the last counter with domicilio
        elsewhere(lambda: disable(last_counter(desk)))
        before = everything()

        # when: CHECK_EVERY has passed, a ticket for domicilio is asked
        cache_clock.advance(cache.CHECK_EVERY)
        status, body = post(warm, f"/centers/{desk.center.pk}/tickets", {"service": domicilio.pk})

        # then
        assert (status, body["code"]) == (409, "service_unstaffed")
        assert everything() == before

    def test_before_check_every_the_cached_skills_still_serve(
        self, desk: Desk, domicilio: Service, warm: Client, cache_clock: HandClock
    ) -> None:
        """The bound: until the next check, this worker issues a ticket that
        will wait for nobody, as every worker did for up to TTL before."""
        elsewhere(lambda: disable(last_counter(desk)))

        cache_clock.advance(cache.CHECK_EVERY * 0.99)
        status, ticket = post(warm, f"/centers/{desk.center.pk}/tickets", {"service": domicilio.pk})

        assert (status, ticket["code"], ticket["state"]) == (201, "D-001", "waiting")

    def test_the_check_is_one_statement_and_then_the_skills_are_read_again(
        self, desk: Desk, domicilio: Service, warm: Client, cache_clock: HandClock
    ) -> None:
        elsewhere(lambda: disable(last_counter(desk)))
        cache_clock.advance(cache.CHECK_EVERY)

        with CaptureQueriesContext(connection) as first:
            staffed = staffed_services(desk.center.pk)
        with CaptureQueriesContext(connection) as second:
            assert staffed_services(desk.center.pk) == staffed

        assert staffed == {desk.dni.pk, desk.acta.pk, desk.ruc.pk}
        assert sql(first)[0] == READ
        assert len(sql(first)) == 2  # the check, the skills read again
        assert sql(second) == []  # no check until CHECK_EVERY more

    def test_a_rolled_back_change_keeps_the_generation_and_the_caches(
        self, desk: Desk, domicilio: Service, warm: Client, cache_clock: HandClock
    ) -> None:
        # given
        generation_before = generation.read()

        # when: another worker's change rolls back
        elsewhere(lambda: disable_and_roll_back(last_counter(desk)))

        # then: the generation is as it was, and the next check drops nothing
        assert generation.read() == generation_before
        cache_clock.advance(cache.CHECK_EVERY)
        with CaptureQueriesContext(connection) as captured:
            staffed = staffed_services(desk.center.pk)
        assert sql(captured) == [READ]
        assert staffed == {desk.dni.pk, desk.acta.pk, desk.ruc.pk, domicilio.pk}
        assert Counter.objects.get(pk=last_counter(desk).pk).active is True

    def test_a_change_made_without_an_action_waits_for_the_ttl(
        self, desk: Desk, domicilio: Service, warm: Client, cache_clock: HandClock
    ) -> None:
        """A direct write raises no generation: TTL stays the upper bound."""
        elsewhere(lambda: Counter.objects.filter(number=5).update(active=False))

        cache_clock.advance(cache.CHECK_EVERY)
        assert domicilio.pk in staffed_services(desk.center.pk)

        cache_clock.advance(cache.TTL)
        assert domicilio.pk not in staffed_services(desk.center.pk)


class TestTheConfigurationGeneration:
    def test_a_configuration_change_raises_it_by_one_at_commit(
        self, desk: Desk, domicilio: Service
    ) -> None:
        before = generation.read()
        elsewhere(lambda: disable(last_counter(desk)))
        assert generation.read() == before + 1

    def test_issuing_and_calling_leave_it(self, desk: Desk) -> None:
        before = generation.read()
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        called = actions.call_next(desk.counter, by=desk.advisor, now=OPEN)
        assert called is not None and called.pk == ticket.pk
        assert generation.read() == before

    def test_it_rides_in_the_events_statement_on_postgresql(
        self, desk: Desk, domicilio: Service
    ) -> None:
        counter = last_counter(desk)
        with CaptureQueriesContext(connection) as captured:
            disable(counter)
        raising = [s for s in sql(captured) if "core_configurationgeneration" in s]
        assert len(raising) == 1
        assert ('INSERT INTO "core_event"' in raising[0]) is (connection.vendor == "postgresql")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks")
def test_two_changes_at_once_raise_it_twice(desk: Desk, domicilio: Service) -> None:
    """The row lock makes the second change wait for the first's commit: no
    raise is lost, and the values follow the order of the commits."""
    before = generation.read()
    barrier = threading.Barrier(2)
    counters = [desk.sunat_counter, last_counter(desk)]
    errors: list[Exception] = []

    def change(counter: Counter) -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            counter.languages = ["es", "qu"]
            actions.save_counter(counter, by=None, changed_fields=["languages"])
        except Exception as exc:
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=change, args=(c,)) for c in counters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert generation.read() == before + 2


def test_a_load_a_drop_overtook_is_not_kept() -> None:
    """A thread that read the database while another dropped the entries
    (a configuration change) returns what it read but does not keep it."""
    loads = []

    def load() -> int:
        loads.append(1)
        if len(loads) == 1:
            cache.clear()  # another thread's drop, while this one reads
        return len(loads)

    assert cache.cached("test", 1, load) == 1
    assert cache.cached("test", 1, load) == 2
    assert cache.cached("test", 1, load) == 2
    assert len(loads) == 2
