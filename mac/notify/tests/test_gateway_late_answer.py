"""A gateway that takes the SMS but answers after SMS_GATEWAY_TIMEOUT (a real
local server): the attempt fails as uncertain and is retried with the same
idempotency key, so that the gateway can drop the repeat."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine

from mac.notify.actions import send
from mac.notify.testing import run_tasks

T0 = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def late_gateway(settings: Any) -> Iterator[list[tuple[str | None, dict[str, Any]]]]:
    """Records (Idempotency-Key, JSON body) of each POST, answers 0.6 s later."""
    taken: list[tuple[str | None, dict[str, Any]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            taken.append((self.headers["Idempotency-Key"], json.loads(self.rfile.read(length))))
            time.sleep(0.6)
            try:
                self.send_response(200)
                self.end_headers()
            except OSError:
                pass  # the client gave up

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "mac.notify.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/v1/sms"
    settings.SMS_GATEWAY_TOKEN = "t"
    settings.SMS_GATEWAY_TIMEOUT = 0.2
    settings.NOTIFY_RETRY_MINUTES = [1]
    yield taken
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
class TestGatewayLateAnswer:
    def test_it_retries_with_the_same_idempotency_key(
        self, late_gateway, confirmed, django_capture_on_commit_callbacks
    ):
        # given
        with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
            (message,) = send("appointment_confirmed", phone="+51987654321", context=confirmed)

        # when: the first attempt and, a minute later, the retry
        with time_machine.travel(T0):
            run_tasks()
        with time_machine.travel(T0 + dt.timedelta(minutes=1, seconds=1)):
            run_tasks()

        # then: two requests, one key, which the gateway can use to drop the second
        key = f"mac-{message.pk}"
        body = {"to": "+51987654321", "message": message.body, "id": key}
        assert late_gateway == [(key, body), (key, body)]
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("retrying", 2)
        assert message.last_error == (
            "SmsError: gateway took the request but did not answer within 0.2 s; "
            f"the SMS may have been sent (retried with Idempotency-Key {key})"
        )
