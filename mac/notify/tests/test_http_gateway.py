"""SMS through the HTTP gateway (a real local server): a 2xx answer delivers,
anything else is retried with backoff and, after NOTIFY_MAX_ATTEMPTS, fails."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import time_machine

from mac.notify.actions import send
from mac.notify.models import Message
from mac.notify.testing import run_tasks, scheduled_tasks

T0 = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)


def at(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def queued_sms(confirmed, django_capture_on_commit_callbacks) -> Message:
    with at(T0), django_capture_on_commit_callbacks(execute=True):
        (message,) = send("appointment_confirmed", phone="+51987654321", context=confirmed)
    return message


@pytest.mark.django_db
class TestHttpGateway:
    def test_it_posts_json_with_the_bearer_token_and_the_idempotency_key(self, gateway, queued_sms):
        # when
        with at(T0):
            run_tasks()

        # then
        assert gateway.requests == [
            {
                "path": "/v1/sms",
                "authorization": "Bearer token-de-prueba",
                "content_type": "application/json",
                "idempotency_key": f"mac-{queued_sms.pk}",
                "json": {
                    "to": "+51987654321",
                    "message": queued_sms.body,
                    "id": f"mac-{queued_sms.pk}",
                },
            }
        ]
        queued_sms.refresh_from_db()
        assert (queued_sms.status, queued_sms.attempts, queued_sms.sent_at) == ("sent", 1, T0)

    def test_it_retries_an_error_answer_with_backoff_then_fails(
        self, gateway, queued_sms, settings
    ):
        # given
        settings.NOTIFY_MAX_ATTEMPTS = 3
        settings.NOTIFY_RETRY_MINUTES = [1, 5]
        gateway.status = 500

        # when: the first attempt
        with at(T0):
            run_tasks()

        # then
        queued_sms.refresh_from_db()
        assert (queued_sms.status, queued_sms.attempts, queued_sms.next_attempt_at) == (
            "retrying",
            1,
            T0 + dt.timedelta(minutes=1),
        )
        assert queued_sms.last_error == 'SmsError: gateway answered HTTP 500: {"ok": false}'
        assert [t.run_after for t in scheduled_tasks()] == [T0 + dt.timedelta(minutes=1)]

        # when: nothing is due before the backoff
        with at(T0 + dt.timedelta(seconds=59)):
            assert run_tasks() == 0

        # when: the second and third attempts
        with at(T0 + dt.timedelta(minutes=1)):
            run_tasks()
        queued_sms.refresh_from_db()
        assert (queued_sms.status, queued_sms.attempts, queued_sms.next_attempt_at) == (
            "retrying",
            2,
            T0 + dt.timedelta(minutes=6),
        )
        with at(T0 + dt.timedelta(minutes=6)):
            run_tasks()

        # then
        queued_sms.refresh_from_db()
        assert (queued_sms.status, queued_sms.attempts, queued_sms.next_attempt_at) == (
            "failed",
            3,
            None,
        )
        assert queued_sms.sent_at is None
        assert queued_sms.last_error == 'SmsError: gateway answered HTTP 500: {"ok": false}'
        with at(T0 + dt.timedelta(days=1)):
            assert run_tasks() == 0
        assert len(gateway.requests) == 3

    def test_it_retries_when_the_gateway_is_unreachable(self, queued_sms, settings):
        # given: a port nobody listens on
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        settings.SMS_BACKEND = "mac.notify.sms.HttpGatewayBackend"
        settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{port}/v1/sms"

        # when
        with at(T0):
            run_tasks()

        # then
        queued_sms.refresh_from_db()
        assert (queued_sms.status, queued_sms.attempts) == ("retrying", 1)
        assert queued_sms.last_error.startswith("SmsError: gateway unreachable: ")
