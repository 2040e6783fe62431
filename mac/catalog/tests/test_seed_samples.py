"""The demo's sample bookings, claims and survey answers (`mac seed`): made
through each app's own actions, deterministic, and added only once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from statistics import mean

import pytest
import time_machine

from mac.appointments.models import Booking
from mac.appointments.seed import SAMPLE_CENTERS, seed_appointments, seed_sample_bookings
from mac.catalog.seed import seed
from mac.centers.models import Center
from mac.core.calendar import LIMA, to_lima
from mac.notify.models import Message
from mac.quality.models import Complaint
from mac.quality.seed import seed_quality, seed_sample_claims
from mac.queueing.models import Attention
from mac.queueing.seed import seed_queues
from mac.surveys.models import Response
from mac.surveys.seed import SHARE, seed_survey_answers

TUESDAY = dt.date(2026, 12, 1)
MORNING = dt.datetime(2026, 12, 1, 7, 0, tzinfo=LIMA)
NEXT_BUSINESS_DAYS = {dt.date(2026, 12, 2), dt.date(2026, 12, 3)}


def quiet(line: str) -> None:
    pass


def load_samples() -> dict[str, int]:
    return {
        "bookings": seed_sample_bookings(log=quiet, today=TUESDAY),
        "claims": seed_sample_claims(log=quiet),
        "answers": seed_survey_answers(log=quiet),
    }


@pytest.fixture(scope="module")
def samples(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[dict]:
    from mac.core.testing import delete_demo_data

    # The bookings go through the booking action, which compares slots with
    # the real clock: the day the samples are made for must be today.
    with django_db_blocker.unblock(), time_machine.travel(MORNING, tick=False):  # type: ignore[attr-defined]
        seed()
        seed_queues(log=quiet, today=TUESDAY)
        seed_appointments(log=quiet)
        seed_quality(log=quiet)
        first, second = load_samples(), load_samples()
    yield {"first": first, "second": second}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        delete_demo_data()


@pytest.mark.usefixtures("db")
class TestSampleBookings:
    def test_they_fill_the_next_two_business_days_of_the_first_centers(self, samples) -> None:
        bookings = Booking.objects.select_related("slot__center")
        first_centers = list(
            Center.objects.operating().order_by("slug").values_list("slug", flat=True)
        )[:SAMPLE_CENTERS]

        assert samples["first"]["bookings"] == bookings.count() > 0
        assert {to_lima(b.slot.start).date() for b in bookings} == NEXT_BUSINESS_DAYS
        assert {b.slot.center.slug for b in bookings} <= set(first_centers)
        assert {b.status for b in bookings} == {"confirmed"}
        assert bookings.values("document_number").distinct().count() == bookings.count()

    def test_each_got_its_confirmation(self, samples) -> None:
        confirmations = Message.objects.filter(kind="appointment_confirmed")
        assert confirmations.count() == Booking.objects.count()

    def test_the_second_run_adds_nothing(self, samples) -> None:
        assert samples["second"] == {"bookings": 0, "claims": 0, "answers": 0}


@pytest.mark.usefixtures("db")
class TestSampleClaims:
    def test_one_answered_one_in_process_one_waiting(self, samples) -> None:
        claims = Complaint.objects.order_by("entity__acronym", "number")
        assert [(c.code, c.status) for c in claims] == [
            ("MIGRACIONES-2026-000001", "registered"),
            ("RENIEC-2026-000001", "notified"),
            ("RENIEC-2026-000002", "in_process"),
        ]
        assert samples["first"]["claims"] == 3
        answered = claims.get(code="RENIEC-2026-000001")
        assert answered.answered_by is not None
        assert answered.answered_by.username == "supervisora.reniec"


@pytest.mark.usefixtures("db")
class TestSampleSurveyAnswers:
    def test_about_one_attention_in_25_is_answered_once(self, samples) -> None:
        answers = Response.objects.count()
        attentions = Attention.objects.count()
        assert answers == samples["first"]["answers"]
        # binomial: within 4 standard deviations of the share
        sd = (attentions * SHARE * (1 - SHARE)) ** 0.5
        assert abs(answers - attentions * SHARE) < 4 * sd
        assert Response.objects.values("attention").distinct().count() == answers

    def test_late_citizens_rate_the_waiting_time_lower(self, samples) -> None:
        rows = Response.objects.values_list(
            "times", "attention__wait_seconds", "attention__target_wait_seconds"
        )
        late = [t for t, wait, target in rows if wait > (target or 900)]
        on_time = [t for t, wait, target in rows if wait <= (target or 900)]
        assert late and on_time
        assert mean(late) < mean(on_time) - 0.5

    def test_answers_come_after_the_attention(self, samples) -> None:
        early = [
            r.pk
            for r in Response.objects.select_related("attention")
            if r.answered_at < r.attention.ended_at
        ]
        assert early == []
