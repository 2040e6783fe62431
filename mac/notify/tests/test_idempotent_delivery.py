"""Running the delivery task again for a message sends nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from mac.notify import sms
from mac.notify.actions import send
from mac.notify.models import Message
from mac.notify.tasks import deliver

T0 = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
class TestIdempotentDelivery:
    def test_it_sends_a_message_once_when_the_task_runs_twice(self, confirmed):
        # given
        email, text = send(
            "appointment_confirmed", email="ana@example.pe", phone="+51987654321", context=confirmed
        )

        # when
        first = [deliver.call(email.pk), deliver.call(text.pk)]
        again = [deliver.call(email.pk), deliver.call(text.pk)]

        # then
        assert (first, again) == (["sent", "sent"], ["skipped", "skipped"])
        assert len(mail.outbox) == 1
        assert len(sms.outbox) == 1
        assert list(Message.objects.values_list("attempts", flat=True)) == [1, 1]

    def test_it_skips_a_message_another_run_is_sending(self, confirmed):
        # given
        (text,) = send("appointment_confirmed", phone="+51987654321", context=confirmed)
        Message.objects.filter(pk=text.pk).update(status=Message.Status.SENDING, attempts=1)

        # when
        result = deliver.call(text.pk)

        # then
        assert result == "skipped"
        assert sms.outbox == []

    def test_it_does_not_retry_before_the_scheduled_time(self, confirmed):
        # given
        (text,) = send("appointment_confirmed", phone="+51987654321", context=confirmed)
        Message.objects.filter(pk=text.pk).update(
            status=Message.Status.RETRYING, attempts=1, next_attempt_at=T0
        )

        # when
        with time_machine.travel(T0 - dt.timedelta(seconds=1), tick=False):
            early = deliver.call(text.pk)
        with time_machine.travel(T0, tick=False):
            due = deliver.call(text.pk)

        # then
        assert (early, due) == ("skipped", "sent")
        assert len(sms.outbox) == 1

    def test_it_skips_a_message_that_no_longer_exists(self):
        assert deliver.call(123456) == "skipped"
