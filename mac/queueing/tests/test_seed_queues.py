"""The queue demo data: counters, advisors and a day of history."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db.models import Count, Max, Min

from mac.catalog.seed import seed
from mac.centers.models import Center
from mac.queueing.models import Attention, Counter, Ticket
from mac.queueing.seed import seed_queues

TUESDAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[dict]:
    from mac.core.testing import delete_demo_data

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        seed()
        first = seed_queues(log=lambda line: None, today=TUESDAY)
        second = seed_queues(log=lambda line: None, today=TUESDAY)
    yield {"first": first, "second": second}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        delete_demo_data()


@pytest.mark.usefixtures("db")
class TestQueueDemoData:
    def test_it_staffs_every_operating_center(self, demo: dict) -> None:
        operating = set(Center.objects.operating().values_list("pk", flat=True))
        staffed = set(Counter.objects.values_list("center_id", flat=True))
        assert staffed == operating
        assert Counter.objects.filter(services=None).count() == 0
        assert Counter.objects.count() == demo["first"]["counters"]

    def test_it_adds_nothing_the_second_time(self, demo: dict) -> None:
        assert demo["second"]["history_tickets"] == 0
        assert demo["first"]["history_tickets"] == Ticket.objects.count()

    def test_it_records_the_last_business_day(self, demo: dict) -> None:
        # Monday 30 November 2026 is a business day before Tuesday 1 December.
        assert set(Ticket.objects.values_list("day", flat=True)) == {dt.date(2026, 11, 30)}
        done = Ticket.objects.filter(state="done").count()
        assert Attention.objects.count() == done
        assert done > 10_000

    def test_it_numbers_each_series_without_gaps(self, demo: dict) -> None:
        rows = Ticket.objects.values("center", "series").annotate(
            n=Count("id"), low=Min("number"), high=Max("number")
        )
        assert all(r["low"] == 1 and r["high"] == r["n"] for r in rows)

    def test_it_keeps_attentions_consistent(self, demo: dict) -> None:
        bad = [
            a
            for a in Attention.objects.all()[:2000]
            if a.wait_seconds < 0
            or a.service_seconds <= 0
            or a.started_at < a.issued_at
            or a.called_at is None
            or not (a.called_at <= a.started_at < a.ended_at)
        ]
        assert bad == []
