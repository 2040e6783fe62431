"""The per-recipient cap holds exactly under concurrent sends, with real
concurrent connections on PostgreSQL (threads, one connection each): two
sends cannot both take the last place of the hour. SQLite has one writer at
a time: no race to prove there."""

from __future__ import annotations

import threading
import time
from collections import Counter as Tally
from typing import Any

import pytest
from django.db import connection

from mac.core.testing import race
from mac.notify import actions
from mac.notify.models import Message

from .conftest import ANY_KIND

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has a single writer"
    ),
]
PHONE = "+51987654321"
CAP = 3


@pytest.fixture(autouse=True)
def cap(settings: Any) -> None:
    settings.NOTIFY_MAX_PER_RECIPIENT_HOUR = CAP


def text(_: int = 0) -> str:
    """One SMS to PHONE; its status: queued, or failed when over the cap."""
    (message,) = actions.send("appointment_confirmed", phone=PHONE, context=dict(ANY_KIND))
    return message.status


def statuses() -> Tally[str]:
    return Tally(Message.objects.filter(recipient=PHONE).values_list("status", flat=True))


def _blocked_or_done(thread: threading.Thread, timeout: float = 10.0) -> None:
    """Wait until `thread` ended or another connection to the test database
    waits for a lock."""
    deadline = time.monotonic() + timeout
    while thread.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            (waiting,) = cursor.fetchone()
        if waiting:
            return
        time.sleep(0.02)


class TestRecipientCapRaces:
    def test_two_sends_for_the_last_place_give_it_to_one(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # given: two of the three messages of the hour already logged
        text()
        text()
        # the first send pauses right after counting (one place left)
        real = actions._over_cap
        reached, go = threading.Event(), threading.Event()

        def counted_then_paused(message: Message) -> bool:
            over = real(message)
            if threading.current_thread().name == "first" and not go.is_set():
                reached.set()
                go.wait(10)
            return over

        monkeypatch.setattr(actions, "_over_cap", counted_then_paused)
        outcomes: dict[str, str] = {}

        def run() -> None:
            try:
                outcomes[threading.current_thread().name] = text()
            finally:
                connection.close()

        # when: the second send comes while the first holds its count
        first = threading.Thread(target=run, name="first")
        first.start()
        assert reached.wait(10)
        second = threading.Thread(target=run, name="second")
        second.start()
        _blocked_or_done(second)
        go.set()
        first.join(30)
        second.join(30)

        # then: the second waited for the first and found the hour full
        assert outcomes == {"first": "queued", "second": "failed"}
        assert statuses() == {"queued": CAP, "failed": 1}

    def test_many_sends_at_once_log_exactly_the_cap(self) -> None:
        # when: 24 sends to one number over up to 12 connections, released together
        results = race(24, text, lanes=12)

        # then
        assert Tally(results) == {"queued": CAP, "failed": 24 - CAP}
        assert statuses() == {"queued": CAP, "failed": 24 - CAP}

    def test_sends_to_other_numbers_at_once_are_not_capped(self) -> None:
        # when: 12 numbers, two sends each, at once
        def to_one_of_twelve(i: int) -> str:
            (message,) = actions.send(
                "appointment_confirmed", phone=f"+5198765{i % 12:04d}", context=dict(ANY_KIND)
            )
            return message.status

        results = race(24, to_one_of_twelve, lanes=12)

        # then: nobody was capped
        assert Tally(results) == {"queued": 24}
