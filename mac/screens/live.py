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
import json
import threading
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone

from mac.centers.models import Center
from mac.core.live import LiveEvent, broker
from mac.core.models import Event
from mac.core.params import parse_id

HEARTBEAT_SECONDS = 15.0
REPLAY_LIMIT = 1000  # events read per query; a replay reads as many pages as it needs


def sse(event: LiveEvent) -> str:
    kind = str(event.payload.get("type", "message"))
    data = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {kind}\ndata: {data}\n\n"


def _last_event_id(request: HttpRequest) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("desde")
    return parse_id(raw) or 0


# A stream lives for hours and needs the database only at its start: each
# lookup closes its connection, or every open screen would hold one; and only
# a few lookups run at once, so hundreds of screens reconnecting together (a
# center's network back after a cut) do not exhaust the database connections.
_DB_SLOTS = threading.BoundedSemaphore(8)


def _release() -> None:
    # Not inside a transaction: that is a caller's connection (tests), not ours.
    if not connection.in_atomic_block:
        connection.close()


@sync_to_async
def _center(slug: str) -> Center | None:
    with _DB_SLOTS:
        try:
            return Center.objects.filter(slug=slug).first()
        finally:
            _release()


@sync_to_async
def _latest(topic: str) -> int:
    try:
        return (
            Event.objects.filter(topic=topic).order_by("-id").values_list("id", flat=True).first()
            or 0
        )
    finally:
        connection.close()


@sync_to_async
def _replay(topic: str, after: int) -> list[LiveEvent]:
    """The events after `after`, oldest first, each with its `age` (whole
    seconds, by the server's clock: a screen's clock may be off)."""
    with _DB_SLOTS:
        try:
            rows = Event.objects.filter(topic=topic, id__gt=after).order_by("id")[:REPLAY_LIMIT]
            now = timezone.now()
            return [LiveEvent(e.pk, e.topic, {**e.payload, "age": _age(e.at, now)}) for e in rows]
        finally:
            _release()


def _age(at: dt.datetime, now: dt.datetime) -> int:
    return max(0, int((now - at).total_seconds()))


async def center_events(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    center = await _center(slug)
    if center is None:
        raise Http404
    topic = f"queue.center.{center.pk}"
    after = _last_event_id(request)

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
            while True:
                if queue.overflowed and queue.empty():
                    return  # events were dropped after these: reconnect and replay
                try:
                    event = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield ": ping\n\n"
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
