"""Under WSGI (a synchronous server, pytest-django's live server) Django
reads an async stream to its end before it sends a byte: the center's event
stream, endless, held a server thread for ever, and the process could not
exit (`make screenshots` printed its results and never ended). There the
stream now sends what is new and ends; the browser reconnects after the
`retry` it was given, so the screen polls. Under ASGI it stays open (the
browser tests of test_live_state_stream.py)."""

from __future__ import annotations

import threading
import warnings

import pytest
from django.test import Client

from mac.core.models import Event

from .test_live_state_stream import Screen, make_screen

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


def read_all(client: Client, url: str, seconds: float = 10.0) -> bytes | None:
    """The whole body, or None when it did not end within `seconds`."""
    body: list[bytes] = []

    def read() -> None:
        response = client.get(url)
        with warnings.catch_warnings():
            # Django warns that it reads an async stream synchronously: that
            # is what a WSGI server does.
            warnings.simplefilter("ignore")
            body.append(b"".join(response))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(seconds)
    return None if reader.is_alive() else body[0]


class TestTheStreamUnderWsgi:
    def test_it_sends_what_is_new_and_ends(self, client: Client, screen: Screen) -> None:
        screen.issue()
        since = Event.objects.latest("id").pk
        screen.issue()
        ticket = screen.issue()

        body = read_all(client, f"/centros/lima-norte/eventos/?desde={since}")

        assert body is not None, "the stream did not end"
        text = body.decode()
        assert text.startswith("retry: 3000\n: lima-norte\n\n")
        assert text.count("event: ticket.issued") == 2
        assert ticket.code in text
