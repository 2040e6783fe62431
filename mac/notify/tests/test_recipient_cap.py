"""At most NOTIFY_MAX_PER_RECIPIENT_HOUR messages go to one citizen's address
or number per hour: beyond it the message is logged as failed with the
reason and never sent. Staff alerts are not capped."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from mac.notify import sms
from mac.notify.actions import send
from mac.notify.models import Message
from mac.notify.testing import run_tasks, scheduled_tasks

from .conftest import ANY_KIND

T0 = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
PHONE = "+51987654321"


@pytest.fixture
def cap(settings):
    settings.NOTIFY_MAX_PER_RECIPIENT_HOUR = 3


def send_at(moment, capture, **to):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return send("appointment_confirmed", context={**ANY_KIND}, **to)


@pytest.mark.django_db
class TestRecipientCap:
    def test_it_logs_the_message_over_the_cap_as_failed_and_sends_nothing(
        self, cap, django_capture_on_commit_callbacks
    ):
        # given three messages to one number within the hour
        for minutes in (0, 10, 20):
            send_at(
                T0 + dt.timedelta(minutes=minutes), django_capture_on_commit_callbacks, phone=PHONE
            )

        # when: the fourth, with an email to somebody else in the same call
        email, text = send_at(
            T0 + dt.timedelta(minutes=59),
            django_capture_on_commit_callbacks,
            email="ana@example.pe",
            phone=PHONE,
        )
        with time_machine.travel(T0 + dt.timedelta(minutes=59), tick=False):
            run_tasks()

        # then
        text.refresh_from_db()
        assert (text.status, text.attempts, text.last_error) == (
            "failed",
            0,
            "Limit: not sent, the recipient already got 3 messages in the last hour "
            "(NOTIFY_MAX_PER_RECIPIENT_HOUR)",
        )
        assert len(sms.outbox) == 3
        email.refresh_from_db()
        assert email.status == "sent"
        assert [m.to for m in mail.outbox] == [["ana@example.pe"]]
        assert scheduled_tasks().count() == 0

    def test_it_sends_again_an_hour_later(self, cap, django_capture_on_commit_callbacks):
        # given
        for minutes in (0, 10, 20):
            send_at(
                T0 + dt.timedelta(minutes=minutes), django_capture_on_commit_callbacks, phone=PHONE
            )

        # when: an hour after the first
        (text,) = send_at(
            T0 + dt.timedelta(minutes=60), django_capture_on_commit_callbacks, phone=PHONE
        )

        # then
        assert (text.status, text.last_error) == ("queued", "")

    def test_it_does_not_cap_staff_alerts(self, cap, django_capture_on_commit_callbacks):
        # given an officer alerted about three claims
        context = {
            key: ANY_KIND[key] for key in ("code", "entity", "due_date", "days_left", "staff_url")
        }
        with time_machine.travel(T0, tick=False):
            for _ in range(3):
                send("complaint_due_soon", email="oficial@reniec.gob.pe", context=context)

            # when
            (alert,) = send("complaint_due_soon", email="oficial@reniec.gob.pe", context=context)

        # then
        assert (alert.status, alert.last_error) == ("queued", "")
        assert Message.objects.filter(status="failed").count() == 0

    def test_it_caps_nothing_when_the_setting_is_zero(
        self, settings, django_capture_on_commit_callbacks
    ):
        # given
        settings.NOTIFY_MAX_PER_RECIPIENT_HOUR = 0
        for minutes in range(12):
            send_at(
                T0 + dt.timedelta(minutes=minutes), django_capture_on_commit_callbacks, phone=PHONE
            )

        # when
        (text,) = send_at(
            T0 + dt.timedelta(minutes=30), django_capture_on_commit_callbacks, phone=PHONE
        )

        # then
        assert text.status == "queued"
