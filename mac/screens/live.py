"""The live event stream of a center (Server-Sent Events).

GET /centros/<slug>/eventos/ streams the center's queue events as
`id: <event id>`, `event: <type>`, `data: <json>`. A client that reconnects
with Last-Event-ID (EventSource does it by itself) first receives all it
missed, from the event table (each with `age`, its seconds since it
happened, so that a board announces only recent calls), then the live
events; heartbeats every 15 s
keep proxies from closing an idle stream. A client too slow for the live
events (its queue overflowed) gets what was queued, then the stream ends, so
that it reconnects and replays the rest. Payloads carry no personal data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import connection
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone

from mac.centers.models import Center
from mac.core.live import LiveEvent, broker
from mac.core.models import Event
from mac.core.params import parse_id

HEARTBEAT_SECONDS = 15.0
HEARTBEAT = "event: ping\ndata: {}\n\n"
REPLAY_LIMIT = 1000  # events read per query; a replay reads as many pages as it needs

P = ParamSpec("P")
R = TypeVar("R")


def sse(event: LiveEvent) -> str:
    kind = str(event.payload.get("type", "message"))
    data = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {kind}\ndata: {data}\n\n"


def _last_event_id(request: HttpRequest) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("desde")
    return parse_id(raw) or 0


# A stream lives for hours and needs the database only at its start (the
# center, where the event log stands, the replay): each lookup closes its
# connection, or every open screen would hold one. Lookups of different
# streams do run at once: Django's ASGI handler gives each request its own
# thread for thread-sensitive calls (asgiref's ThreadSensitiveContext), so
# hundreds of screens reconnecting together (a center's network back after
# a cut) would open as many connections. Every lookup takes one of
# _DB_SLOTS first, so at most that many run (and hold a connection) at once
# in a process; the others wait on their own threads, not on the event loop.
DB_SLOTS = 8
_DB_SLOTS = threading.BoundedSemaphore(DB_SLOTS)


def _release() -> None:
    # Not inside a transaction: that is a caller's connection (tests), not ours.
    if not connection.in_atomic_block:
        connection.close()


def _lookup(func: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """A stream's database lookup, awaitable: it waits for a slot, and its
    connection is closed after it."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with _DB_SLOTS:
            try:
                return func(*args, **kwargs)
            finally:
                _release()

    return sync_to_async(run)


@_lookup
def _center(slug: str) -> Center | None:
    return Center.objects.filter(slug=slug).first()


@_lookup
def _latest(topic: str) -> int:
    latest = Event.objects.filter(topic=topic).order_by("-id").values_list("id", flat=True)
    return latest.first() or 0


@_lookup
def _replay(topic: str, after: int) -> list[LiveEvent]:
    """The events after `after`, oldest first, each with its `age` (whole
    seconds, by the server's clock: a screen's clock may be off)."""
    rows = Event.objects.filter(topic=topic, id__gt=after).order_by("id")[:REPLAY_LIMIT]
    now = timezone.now()
    return [LiveEvent(e.pk, e.topic, {**e.payload, "age": _age(e.at, now)}) for e in rows]


def _age(at: dt.datetime, now: dt.datetime) -> int:
    return max(0, int((now - at).total_seconds()))


async def center_events(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    center = await _center(slug)
    if center is None:
        raise Http404
    topic = f"queue.center.{center.pk}"
    after = _last_event_id(request)
    # Under WSGI (a synchronous server; pytest-django's live server) Django
    # reads an async stream to its end before it sends anything, so an
    # endless one would hold a thread, and the process's exit, for ever:
    # there the stream sends what is new and ends, and the browser polls.
    # Production serves ASGI (uvicorn), where it stays open.
    live = isinstance(request, ASGIRequest)

    async def stream() -> AsyncIterator[str]:
        # Note where the screen stands, listen, wait until events of other
        # workers arrive too, then replay what came in between: no gap; the
        # same event by both paths is sent once (ids only grow).
        start = after or await _latest(topic)
        queue = broker.listen(topic)
        sent = start
        try:
            yield f"retry: 3000\n: {center.slug}\n\n"
            await asyncio.to_thread(broker.wait_listening, 5.0)
            while True:
                page = await _replay(topic, sent)
                for event in page:
                    sent = event.id
                    yield sse(event)
                if len(page) < REPLAY_LIMIT:
                    break
            if not live:
                return  # WSGI: the browser reconnects in 3 s and replays from here
            while True:
                if queue.overflowed and queue.empty():
                    return  # events were dropped after these: reconnect and replay
                try:
                    event = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    # An event, not a comment: the page's script sees it and
                    # reconnects when none comes (a cut without a reset).
                    # No id, so the stream's last id stays as it was.
                    yield HEARTBEAT
                    continue
                if event.id > sent:
                    sent = event.id
                    yield sse(event)
        finally:
            broker.unlisten(topic, queue)

    response = StreamingHttpResponse(stream(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
