"""Fan-out of published events to live screens (Server-Sent Events).

`broadcast` is called when an event's transaction commits: in this process
directly, and in every other worker through PostgreSQL NOTIFY (a listener
thread per process, started with the first screen). Each listener of a topic
is an asyncio queue bound to the event loop of its SSE response. A slow
client's queue that fills up takes no more events and is marked `overflowed`:
its stream sends what the queue holds and ends, and the browser reconnects
with Last-Event-ID and replays the rest from the event table.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)
CHANNEL = "mac_events"
QUEUE_SIZE = 500


@dataclass(frozen=True)
class LiveEvent:
    id: int
    topic: str
    payload: dict[str, Any]


class Listener(asyncio.Queue[LiveEvent]):
    """The events of one stream. Once full it takes no more (so what it holds
    has no gap) and `overflowed` tells its stream to end."""

    def __init__(self, maxsize: int = QUEUE_SIZE) -> None:
        super().__init__(maxsize=maxsize)
        self.overflowed = False


class Broker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[str, set[tuple[asyncio.AbstractEventLoop, Listener]]]
        self._listeners = defaultdict(set)
        self._recent: deque[int] = deque(maxlen=4096)
        self._seen: set[int] = set()
        self._relay: threading.Thread | None = None
        self._stopping = threading.Event()
        self._listening = threading.Event()  # the relay's LISTEN is active

    def listen(self, topic: str) -> Listener:
        """A queue that receives the topic's events (call from the event loop)."""
        queue = Listener()
        with self._lock:
            self._listeners[topic].add((asyncio.get_running_loop(), queue))
        self._start_relay()
        return queue

    def unlisten(self, topic: str, queue: Listener) -> None:
        with self._lock:
            self._listeners[topic] = {e for e in self._listeners[topic] if e[1] is not queue}
            if not self._listeners[topic]:
                del self._listeners[topic]

    def listeners(self, topic: str) -> int:
        with self._lock:
            return len(self._listeners.get(topic, ()))

    def broadcast(self, event: LiveEvent, *, dedupe: bool = True) -> None:
        """Deliver to this process's listeners. On PostgreSQL an event arrives
        twice (directly and through NOTIFY): `dedupe` delivers it once, by id
        (sequence ids never repeat there; SQLite may reuse them, and has one path)."""
        with self._lock:
            if dedupe:
                if event.id in self._seen:
                    return
                if len(self._recent) == self._recent.maxlen:
                    self._seen.discard(self._recent[0])
                self._recent.append(event.id)
                self._seen.add(event.id)
            targets = list(self._listeners.get(event.topic, ()))
        for loop, queue in targets:
            try:
                loop.call_soon_threadsafe(_offer, queue, event)
            except RuntimeError:  # that response's loop has closed
                self.unlisten(event.topic, queue)

    # -- PostgreSQL NOTIFY relay: events committed by other processes.

    def _start_relay(self) -> None:
        from django.db import connection

        if connection.vendor != "postgresql" or self._relay is not None:
            return
        with self._lock:
            if self._relay is not None:
                return
            params = dict(connection.get_connection_params())
            self._relay = threading.Thread(
                target=self._relay_loop, args=(params,), name="mac-events", daemon=True
            )
            self._relay.start()

    def _relay_loop(self, params: dict[str, Any]) -> None:
        import time

        import psycopg

        params.pop("cursor_factory", None)
        params.pop("context", None)
        while not self._stopping.is_set():
            try:
                with psycopg.connect(**params, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    while not self._stopping.is_set():
                        for notify in conn.notifies(timeout=1.0):
                            data = json.loads(notify.payload)
                            self.broadcast(LiveEvent(data["id"], data["topic"], data["payload"]))
            except Exception:
                self._listening.clear()
                logger.exception("event relay lost its connection; reconnecting")
                time.sleep(1)
        self._listening.clear()

    def wait_listening(self, timeout: float) -> bool:
        """Block until events of other processes reach this one (always true
        where there is no relay, on SQLite)."""
        if self._relay is None:
            return True
        return self._listening.wait(timeout)

    def stop(self) -> None:
        """Stop the NOTIFY relay and close its connection (tests, shutdown)."""
        relay = self._relay
        self._stopping.set()
        if relay is not None:
            relay.join(timeout=5)
        with self._lock:
            self._relay = None
        self._stopping.clear()


def _offer(queue: Listener, event: LiveEvent) -> None:
    # A stalled client's queue stops at the first event it cannot take: a later
    # one would leave a gap that its Last-Event-ID could not replay.
    if queue.overflowed:
        return
    try:
        queue.put_nowait(event)
    except asyncio.QueueFull:
        queue.overflowed = True


broker = Broker()


NOTIFY_HEAD = '{"id": '
NOTIFY_LIMIT = 7900  # bytes; PostgreSQL refuses payloads of 8000 or more


def notify_tail(topic: str, payload: dict[str, Any]) -> str | None:
    """The text of an event's NOTIFY after `NOTIFY_HEAD` and its id (so that
    the database can add the id it gives), or None when it would not fit
    PostgreSQL's payload limit with any id."""
    tail = ", " + json.dumps({"topic": topic, "payload": payload}, default=str)[1:]
    if len(NOTIFY_HEAD) + 20 + len(tail.encode()) >= NOTIFY_LIMIT:
        return None
    return tail


def too_large(event_id: int) -> None:
    logger.warning("event %s too large to NOTIFY; screens will catch up on replay", event_id)


def notify_sql(event_id: int, topic: str, payload: dict[str, Any]) -> tuple[str, list[Any]] | None:
    """The NOTIFY for an event, when it fits PostgreSQL's payload limit."""
    tail = notify_tail(topic, payload)
    if tail is None:
        too_large(event_id)
        return None
    return "SELECT pg_notify(%s, %s)", [CHANNEL, f"{NOTIFY_HEAD}{event_id}{tail}"]
