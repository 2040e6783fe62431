"""The delivery task hands an SMS to the configured backend (the in-memory
one in tests) and logs it as sent."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mac.notify import sms
from mac.notify.actions import send
from mac.notify.models import Message
from mac.notify.testing import run_tasks

NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
class TestSmsDelivery:
    def test_it_sends_the_sms_in_e164(self, confirmed, django_capture_on_commit_callbacks):
        # given
        with django_capture_on_commit_callbacks(execute=True):
            (message,) = send("appointment_confirmed", phone="987 654 321", context=confirmed)

        # when
        with time_machine.travel(NOW, tick=False):
            run_tasks()

        # then
        assert sms.outbox == [sms.Sms("+51987654321", message.body)]
        message.refresh_from_db()
        assert (message.status, message.attempts, message.sent_at) == (Message.Status.SENT, 1, NOW)

    def test_it_prints_the_sms_with_the_console_backend(self, capsys):
        # when
        sms.ConsoleBackend().send("+51987654321", "MAC: hola")

        # then
        assert capsys.readouterr().out == (
            "-- SMS para +51987654321 --\nMAC: hola\n" + "-" * 40 + "\n"
        )
