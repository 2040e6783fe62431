"""The live event stream of a center (Server-Sent Events).

GET /centros/<slug>/eventos/ streams the center's queue events as
`id: <event id>`, `event: <type>`, `data: <json>`. A client that reconnects
with Last-Event-ID (EventSource does it by itself) first receives what it
missed, from the event table, then the live events; heartbeats every 15 s
keep proxies from closing an idle stream. Payloads carry no personal data.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.http import Http404, HttpRequest, StreamingHttpResponse

from mac.centers.models import Center
from mac.core.live import LiveEvent, broker
from mac.core.models import Event

HEARTBEAT_SECONDS = 15.0
REPLAY_LIMIT = 1000


def sse(event: LiveEvent) -> str:
    kind = str(event.payload.get("type", "message"))
    data = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {kind}\ndata: {data}\n\n"


def _last_event_id(request: HttpRequest) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("desde") or "0"
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else 0


@sync_to_async
def _replay(topic: str, after: int) -> list[LiveEvent]:
    rows = Event.objects.filter(topic=topic, id__gt=after).order_by("id")[:REPLAY_LIMIT]
    return [LiveEvent(e.pk, e.topic, e.payload) for e in rows]


async def center_events(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    center = await Center.objects.filter(slug=slug).afirst()
    if center is None:
        raise Http404
    topic = f"queue.center.{center.pk}"
    after = _last_event_id(request)

    async def stream() -> AsyncIterator[str]:
        # Listen before replaying, then skip duplicates by id: no gap between the two.
        queue = broker.listen(topic)
        sent = after
        try:
            yield f"retry: 3000\n: {center.slug}\n\n"
            if after:
                for event in await _replay(topic, after):
                    sent = event.id
                    yield sse(event)
            while True:
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
