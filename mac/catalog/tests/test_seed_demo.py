"""The demo data as `mac seed` makes it, in one run for the whole module (it
takes a minute or more): the catalog, the queues' counters and a day of
history, the agendas, the complaints book's officers, and the sample
bookings, claims and survey answers, each made through its app's own
actions, deterministic, and added only once (a second run adds nothing)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from statistics import mean

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Max, Min

from mac.appointments.models import Booking
from mac.appointments.seed import SAMPLE_CENTERS, seed_sample_bookings
from mac.catalog.management.commands.seed import Command as SeedCommand
from mac.catalog.models import Entity, Offer, Service
from mac.centers.models import Center
from mac.core.calendar import LIMA, to_lima
from mac.notify.models import Message
from mac.quality.models import Complaint
from mac.quality.seed import seed_sample_claims
from mac.queueing.models import Attention, Counter, Ticket
from mac.queueing.queries import serving_languages, staffed_services
from mac.queueing.seed import seed_queues
from mac.surveys.models import Response
from mac.surveys.seed import SHARE, seed_survey_answers

TUESDAY = dt.date(2026, 12, 1)
MORNING = dt.datetime(2026, 12, 1, 7, 0, tzinfo=LIMA)
NEXT_BUSINESS_DAYS = {dt.date(2026, 12, 2), dt.date(2026, 12, 3)}


def quiet(line: str) -> None:
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[dict]:
    """`mac seed` once, then each step that adds data a second time."""
    from mac.core.testing import delete_demo_data

    # The bookings go through the booking action, which compares slots with
    # the real clock: the day the samples are made for must be today.
    out = io.StringIO()
    command = SeedCommand(stdout=out)
    with django_db_blocker.unblock(), time_machine.travel(MORNING, tick=False):  # type: ignore[attr-defined]
        call_command(command)
        queues_again = seed_queues(log=quiet, today=TUESDAY)
        samples_again = {
            "bookings": seed_sample_bookings(log=quiet, today=TUESDAY),
            "claims": seed_sample_claims(log=quiet),
            "answers": seed_survey_answers(log=quiet),
        }
    yield {
        "output": out.getvalue(),
        "queues": command.results["queues"],
        "queues_again": queues_again,
        "samples": command.results["samples"],
        "samples_again": samples_again,
    }
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        delete_demo_data()


@pytest.mark.usefixtures("db")
class TestSeedCommand:
    def test_it_prints_progress_and_the_users_table(self, demo: dict) -> None:
        text = demo["output"]

        assert "Entidades: 48" in text
        assert "Centros: 19" in text
        assert "Usuarios de demostración" in text
        assert "demo-admin-2026" in text
        assert "asesor.<centro>.<nn>" in text
        assert "/personal/entrar/" in text


@pytest.mark.usefixtures("db")
class TestQueueDemoData:
    def test_it_staffs_every_operating_center(self, demo: dict) -> None:
        operating = set(Center.objects.operating().values_list("pk", flat=True))
        staffed = set(Counter.objects.values_list("center_id", flat=True))
        assert staffed == operating
        assert Counter.objects.filter(services=None).count() == 0
        assert Counter.objects.count() == demo["queues"]["counters"]

    def test_an_active_counter_serves_every_offered_service(self, demo: dict) -> None:
        # the queue refuses a ticket for an offered service no active counter has
        offers = Offer.objects.filter(
            center__in=Center.objects.operating(),
            active=True,
            service__status=Service.Status.PUBLISHED,
            service__entity__status=Entity.Status.ACTIVE,
        ).values_list("center_id", "service_id")
        unstaffed = [o for o in offers if o[1] not in staffed_services(o[0])]
        assert len(offers) > 100
        assert unstaffed == []

    def test_it_adds_nothing_the_second_time(self, demo: dict) -> None:
        assert demo["queues_again"]["history_tickets"] == 0
        assert demo["queues"]["history_tickets"] == Ticket.objects.count()

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

    def test_its_tickets_speak_languages_their_counters_have(self, demo: dict) -> None:
        # the queue refuses a ticket in a language no counter serves the service in
        tickets = Ticket.objects.values_list("center_id", "service_id", "language").distinct()
        unserved = [t for t in tickets if t[2] not in serving_languages(t[0], t[1])]
        assert unserved == []
        assert {t[2] for t in tickets} == {"es", "qu"}

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


@pytest.mark.usefixtures("db")
class TestSampleBookings:
    def test_they_fill_the_next_two_business_days_of_the_first_centers(self, demo) -> None:
        bookings = Booking.objects.select_related("slot__center")
        first_centers = list(
            Center.objects.operating().order_by("slug").values_list("slug", flat=True)
        )[:SAMPLE_CENTERS]

        assert demo["samples"]["bookings"] == bookings.count() > 0
        assert {to_lima(b.slot.start).date() for b in bookings} == NEXT_BUSINESS_DAYS
        assert {b.slot.center.slug for b in bookings} <= set(first_centers)
        assert {b.status for b in bookings} == {"confirmed"}
        assert bookings.values("document_number").distinct().count() == bookings.count()

    def test_each_can_be_checked_in_in_its_language_of_attention(self, demo) -> None:
        # attended in Quechua only where a counter serves the service in it
        # (booking refuses any other: the check-in would be refused), whatever
        # the language of the notices
        bookings = Booking.objects.values_list(
            "center_id", "service_id", "attention_language", "language"
        )
        unserved = [b for b in bookings if b[2] not in serving_languages(b[0], b[1])]
        assert unserved == []
        assert {b[2] for b in bookings} == {"es", "qu"}
        assert {b[3] for b in bookings} == {"es", "qu"}

    def test_each_is_of_a_service_a_counter_serves(self, demo) -> None:
        bookings = Booking.objects.values_list("center_id", "service_id").distinct()
        assert [b for b in bookings if b[1] not in staffed_services(b[0])] == []

    def test_each_got_its_confirmation(self, demo) -> None:
        confirmations = Message.objects.filter(kind="appointment_confirmed")
        assert confirmations.count() == Booking.objects.count()

    def test_the_second_run_adds_nothing(self, demo) -> None:
        assert demo["samples_again"] == {"bookings": 0, "claims": 0, "answers": 0}


@pytest.mark.usefixtures("db")
class TestSampleClaims:
    def test_one_answered_one_in_process_one_waiting(self, demo) -> None:
        claims = Complaint.objects.order_by("entity__acronym", "number")
        assert [(c.code, c.status) for c in claims] == [
            ("MIGRACIONES-2026-000001", "registered"),
            ("RENIEC-2026-000001", "notified"),
            ("RENIEC-2026-000002", "in_process"),
        ]
        assert demo["samples"]["claims"] == 3
        answered = claims.get(code="RENIEC-2026-000001")
        assert answered.answered_by is not None
        assert answered.answered_by.username == "supervisora.reniec"


@pytest.mark.usefixtures("db")
class TestSampleSurveyAnswers:
    def test_about_one_attention_in_25_is_answered_once(self, demo) -> None:
        answers = Response.objects.count()
        attentions = Attention.objects.count()
        assert answers == demo["samples"]["answers"]
        # binomial: within 4 standard deviations of the share
        sd = (attentions * SHARE * (1 - SHARE)) ** 0.5
        assert abs(answers - attentions * SHARE) < 4 * sd
        assert Response.objects.values("attention").distinct().count() == answers

    def test_late_citizens_rate_the_waiting_time_lower(self, demo) -> None:
        rows = Response.objects.values_list(
            "times", "attention__wait_seconds", "attention__target_wait_seconds"
        )
        late = [t for t, wait, target in rows if wait > (target or 900)]
        on_time = [t for t, wait, target in rows if wait <= (target or 900)]
        assert late and on_time
        assert mean(late) < mean(on_time) - 0.5

    def test_answers_come_after_the_attention(self, demo) -> None:
        early = [
            r.pk
            for r in Response.objects.select_related("attention")
            if r.answered_at < r.attention.ended_at
        ]
        assert early == []
