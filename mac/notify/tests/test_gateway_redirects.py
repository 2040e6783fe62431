"""The SMS gateway's client follows no redirect (real local servers): a 3xx
answer is a failed attempt naming the Location, never a "sent" SMS, and the
bearer token goes to no other host."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine

from mac.notify.actions import send
from mac.notify.sms import HttpGatewayBackend, SmsError
from mac.notify.testing import run_tasks

T0 = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)


def serve(host: str, location: str | None, seen: list[tuple[str, str, str | None]]) -> Any:
    """A server that records (method, path, Authorization) of each request and
    answers a POST with 301 to `location`, anything else with 200."""

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            seen.append((self.command, self.path, self.headers["Authorization"]))
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            if self.command == "POST" and location:
                self.send_response(301)
                self.send_header("Location", location)
            else:
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def servers() -> Iterator[list[Any]]:
    started: list[Any] = []
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db
class TestGatewayRedirects:
    def test_it_fails_the_attempt_on_a_redirect_instead_of_logging_it_sent(
        self, settings, servers, confirmed, django_capture_on_commit_callbacks
    ):
        # given: the configured URL lacks the trailing slash the gateway wants
        seen: list[tuple[str, str, str | None]] = []
        servers.append(serve("127.0.0.1", "/v1/sms/", seen))
        settings.SMS_BACKEND = "mac.notify.sms.HttpGatewayBackend"
        settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{servers[0].server_port}/v1/sms"
        settings.SMS_GATEWAY_TOKEN = "secreto"
        with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
            (message,) = send("appointment_confirmed", phone="+51987654321", context=confirmed)

        # when
        with time_machine.travel(T0, tick=False):
            run_tasks()

        # then: one POST, no GET after it, and the attempt failed
        assert seen == [("POST", "/v1/sms", "Bearer secreto")]
        message.refresh_from_db()
        assert (message.status, message.attempts, message.sent_at) == ("retrying", 1, None)
        assert message.last_error == (
            "SmsError: gateway answered HTTP 301 redirecting to '/v1/sms/'; redirects are not "
            "followed: set SMS_GATEWAY_URL to the final URL"
        )

    def test_it_sends_the_token_to_no_other_host(self, servers):
        # given: a gateway that redirects to another host
        elsewhere: list[tuple[str, str, str | None]] = []
        servers.append(serve("127.0.0.2", None, elsewhere))
        target = f"http://127.0.0.2:{servers[0].server_port}/"
        seen: list[tuple[str, str, str | None]] = []
        servers.append(serve("127.0.0.1", target, seen))
        backend = HttpGatewayBackend(
            f"http://127.0.0.1:{servers[1].server_port}/v1/sms", "secreto", 5
        )

        # when / then
        with pytest.raises(SmsError, match=f"HTTP 301 redirecting to '{target}'"):
            backend.send("+51987654321", "hola")
        assert seen == [("POST", "/v1/sms", "Bearer secreto")]
        assert elsewhere == []
