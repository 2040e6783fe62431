"""A refused delivery is logged (WARNING) with the message id, the channel
and the error's type only: the error's text, which names the citizen's
address or number, stays in the delivery log's last_error (national staff
only). Real local servers: an SMTP server that refuses the recipient, an SMS
gateway that echoes the number in its error."""

from __future__ import annotations

import logging
import socketserver
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from mac.notify.actions import send
from mac.notify.testing import run_tasks


class RefusingSmtp(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        def say(line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        say("220 mail.test ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                say("250 mail.test")
            elif command.startswith(("MAIL FROM", "RSET")):
                say("250 ok")
            elif command.startswith("RCPT TO"):
                say("550 5.1.1 mailbox unavailable")
            elif command.startswith("QUIT"):
                say("221 bye")
                return
            else:
                say("502 no")


@pytest.fixture
def refusing_smtp(settings: Any) -> Iterator[None]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingSmtp)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.server_address[1]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield
    server.shutdown()
    server.server_close()


@pytest.fixture
def echoing_gateway(settings: Any) -> Iterator[None]:
    """Answers 400 naming the number, as real gateways do."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b'{"error": "invalid destination +51987654321"}'
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "mac.notify.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/v1/sms"
    settings.SMS_GATEWAY_TIMEOUT = 5
    yield
    server.shutdown()
    server.server_close()


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "mac.notify.tasks"]


@pytest.mark.django_db
class TestDeliveryLogLines:
    def test_it_logs_a_refused_email_without_the_address(
        self, refusing_smtp, confirmed, caplog, django_capture_on_commit_callbacks
    ):
        # given
        with django_capture_on_commit_callbacks(execute=True):
            (message,) = send(
                "appointment_confirmed", email="rosa.quispe@example.pe", context=confirmed
            )

        # when
        with caplog.at_level(logging.WARNING, logger="mac.notify.tasks"):
            run_tasks()

        # then
        assert warnings(caplog) == [
            f"message {message.pk} (email) not delivered: SMTPRecipientsRefused"
        ]
        message.refresh_from_db()
        assert message.status == "retrying"
        assert message.last_error == (
            "SMTPRecipientsRefused: {'rosa.quispe@example.pe': (550, b'5.1.1 mailbox unavailable')}"
        )

    def test_it_logs_a_refused_sms_without_the_gateways_answer(
        self, echoing_gateway, confirmed, caplog, django_capture_on_commit_callbacks
    ):
        # given
        with django_capture_on_commit_callbacks(execute=True):
            (message,) = send("appointment_confirmed", phone="+51987654321", context=confirmed)

        # when
        with caplog.at_level(logging.WARNING, logger="mac.notify.tasks"):
            run_tasks()

        # then
        assert warnings(caplog) == [f"message {message.pk} (sms) not delivered: SmsError"]
        message.refresh_from_db()
        assert message.last_error == (
            'SmsError: gateway answered HTTP 400: {"error": "invalid destination +51987654321"}'
        )
