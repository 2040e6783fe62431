"""The live stream loses no event: a reconnecting screen gets everything it
missed, however many, and a stalled one whose queue overflowed is cut off
after what it queued, so that it reconnects and replays the rest."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient

from mac.core.live import QUEUE_SIZE, LiveEvent, broker
from mac.core.models import Event
from mac.queueing.testing import queue_center
from mac.screens.live import REPLAY_LIMIT
from mac.screens.tests.test_live_stream import parse


def add_events(topic: str, count: int) -> list[int]:
    Event.objects.bulk_create(
        [Event(topic=topic, payload={"type": "ticket.issued", "ticket": n}) for n in range(count)]
    )
    return list(Event.objects.filter(topic=topic).order_by("id").values_list("id", flat=True))


async def read_to_the_end(chunks, timeout: float = 5.0) -> list[int]:  # type: ignore[no-untyped-def]
    """Ids of the messages until the server ends the stream."""
    ids: list[int] = []
    while True:
        try:
            chunk = await asyncio.wait_for(chunks.__anext__(), timeout)
        except StopAsyncIteration:
            return ids
        ids += [m["id"] for m in parse(chunk)]


@pytest.mark.urls("mac.screens.tests.live_urls")
class TestStreamGaps:
    def test_it_replays_more_than_one_page_of_missed_events(self, db: None) -> None:
        # given: a screen saw the first event, then missed more than a page
        center = queue_center("lima-norte")
        topic = f"queue.center.{center.pk}"
        ids = add_events(topic, REPLAY_LIMIT + 11)
        seen, missed = ids[0], ids[1:]

        async def reconnect() -> list[int]:
            response = await AsyncClient().get(
                f"/centros/{center.slug}/eventos/", headers={"Last-Event-ID": str(seen)}
            )
            chunks = response.streaming_content.__aiter__()  # type: ignore[attr-defined]
            found: list[int] = []
            while len(found) < len(missed):
                found += [m["id"] for m in parse(await asyncio.wait_for(chunks.__anext__(), 5))]
            await chunks.aclose()
            return found

        # when
        replayed = async_to_sync(reconnect)()

        # then
        assert replayed == missed

    def test_a_stalled_stream_ends_and_its_reconnection_replays_the_rest(self, db: None) -> None:
        # given: a screen up to date and waiting for live events
        center = queue_center("lima-norte")
        topic = f"queue.center.{center.pk}"
        start = add_events(topic, 1)[-1]

        async def stall_then_reconnect() -> tuple[list[int], list[int], list[int]]:
            response = await AsyncClient().get(
                f"/centros/{center.slug}/eventos/", headers={"Last-Event-ID": str(start)}
            )
            chunks = response.streaming_content.__aiter__()  # type: ignore[attr-defined]
            await chunks.__anext__()  # "retry": the stream listens now
            first = asyncio.ensure_future(chunks.__anext__())  # replays nothing, then waits
            await asyncio.sleep(0.2)
            # when: the center goes on while the screen reads nothing more
            events = await sync_to_async(add_events)(topic, QUEUE_SIZE + 100)
            published = [i for i in events if i > start]
            for event_id in published:
                broker.broadcast(LiveEvent(event_id, topic, {"type": "ticket.issued"}))
            await asyncio.sleep(0.2)
            live = [m["id"] for m in parse(await first)] + await read_to_the_end(chunks)
            # ...and EventSource reconnects with the last id it received
            again = await AsyncClient().get(
                f"/centros/{center.slug}/eventos/", headers={"Last-Event-ID": str(live[-1])}
            )
            rest_chunks = again.streaming_content.__aiter__()  # type: ignore[attr-defined]
            rest: list[int] = []
            while len(live) + len(rest) < len(published):
                rest += [m["id"] for m in parse(await asyncio.wait_for(rest_chunks.__anext__(), 5))]
            await rest_chunks.aclose()
            return published, live, rest

        published, live, rest = async_to_sync(stall_then_reconnect)()

        # then: the first stream sent what its queue had taken, without a gap,
        # and ended; the reconnection sent the rest
        assert live == published[:QUEUE_SIZE]
        assert rest == published[QUEUE_SIZE:]
        assert broker.listeners(topic) == 0
