"""The center's live event stream (SSE) and the event log behind it."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading

import pytest
from asgiref.sync import async_to_sync
from django.db import transaction
from django.test import AsyncClient
from django.utils import timezone

from mac.core.models import Event
from mac.queueing import actions
from mac.queueing.testing import OPEN, make_counter, make_entity, queue_center, queue_service


def parse(chunk: bytes | str) -> list[dict]:
    text = chunk.decode() if isinstance(chunk, bytes) else chunk
    messages = []
    for block in text.strip().split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if ": " in line and line[0] != ":"
        )
        if "data" in fields:
            messages.append(
                {
                    "id": int(fields["id"]),
                    "event": fields["event"],
                    "data": json.loads(fields["data"]),
                }
            )
    return messages


async def read_messages(response, count: int, timeout: float = 5.0) -> list[dict]:  # type: ignore[no-untyped-def]
    found: list[dict] = []
    chunks = response.streaming_content.__aiter__()
    while len(found) < count:
        chunk = await asyncio.wait_for(chunks.__anext__(), timeout)
        found += parse(chunk)
    await chunks.aclose()
    return found


@pytest.fixture
def center_with_service(db: None):  # type: ignore[no-untyped-def]
    center = queue_center("lima-norte")
    reniec = make_entity("RENIEC")
    service = queue_service(reniec, "Duplicado de DNI", center, series="R")
    make_counter(center, reniec, 1, [service])
    return center, service


class TestEventLog:
    def test_it_records_each_published_event(self, center_with_service) -> None:  # type: ignore[no-untyped-def]
        center, service = center_with_service
        ticket = actions.issue_ticket(center, service, now=OPEN)
        event = Event.objects.get()
        assert (event.topic, event.payload["type"], event.payload["code"]) == (
            f"queue.center.{center.pk}",
            "ticket.issued",
            ticket.code,
        )

    def test_it_keeps_no_event_of_a_rolled_back_change(self, center_with_service) -> None:  # type: ignore[no-untyped-def]
        center, service = center_with_service
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.issue_ticket(center, service, now=OPEN)
            raise RuntimeError("the caller fails after the action")
        assert Event.objects.count() == 0


@pytest.mark.urls("mac.screens.tests.live_urls")
class TestStreamReplay:
    def test_it_replays_what_a_reconnecting_screen_missed(self, center_with_service) -> None:  # type: ignore[no-untyped-def]
        center, service = center_with_service
        first = actions.issue_ticket(center, service, now=OPEN)
        actions.issue_ticket(center, service, now=OPEN)
        actions.issue_ticket(center, service, now=OPEN)
        seen = Event.objects.get(payload__ticket=first.pk).pk

        async def reconnect() -> list[dict]:
            response = await AsyncClient().get(
                f"/centros/{center.slug}/eventos/", headers={"Last-Event-ID": str(seen)}
            )
            assert response["Content-Type"] == "text/event-stream"
            return await read_messages(response, 2)

        messages = async_to_sync(reconnect)()
        assert [m["data"]["code"] for m in messages] == ["R-002", "R-003"]
        assert [m["event"] for m in messages] == ["ticket.issued", "ticket.issued"]
        assert messages[0]["id"] > seen

    def test_a_replayed_event_says_how_old_it_is(self, center_with_service) -> None:  # type: ignore[no-untyped-def]
        # given: a screen saw the first ticket, then missed one issued 2 min ago and one now
        center, service = center_with_service
        first = actions.issue_ticket(center, service, now=OPEN)
        old = actions.issue_ticket(center, service, now=OPEN)
        actions.issue_ticket(center, service, now=OPEN)
        seen = Event.objects.get(payload__ticket=first.pk).pk
        Event.objects.filter(payload__ticket=old.pk).update(
            at=timezone.now() - dt.timedelta(seconds=120)
        )

        async def reconnect() -> list[dict]:
            response = await AsyncClient().get(
                f"/centros/{center.slug}/eventos/", headers={"Last-Event-ID": str(seen)}
            )
            return await read_messages(response, 2)

        # when
        messages = async_to_sync(reconnect)()

        # then: its age by the server's clock (whatever the screen's says)
        ages = [(m["data"]["code"], m["data"]["age"]) for m in messages]
        assert ages[0][0] == "R-002" and 120 <= ages[0][1] <= 125
        assert ages[1][0] == "R-003" and 0 <= ages[1][1] <= 5

    def test_it_answers_404_for_an_unknown_center(self, db: None) -> None:
        async def get() -> int:
            return (await AsyncClient().get("/centros/no-existe/eventos/")).status_code

        assert async_to_sync(get)() == 404


@pytest.mark.urls("mac.screens.tests.live_urls")
@pytest.mark.django_db(transaction=True)
class TestStreamLive:
    def test_it_delivers_a_committed_event_to_a_connected_screen(self) -> None:
        center = queue_center("lima-norte")
        reniec = make_entity("RENIEC")
        service = queue_service(reniec, "Duplicado de DNI", center, series="R")
        make_counter(center, reniec, 1, [service])

        def issue_soon() -> None:
            from django.db import connection

            try:
                actions.issue_ticket(center, service, now=OPEN)
            finally:
                connection.close()

        async def watch() -> list[dict]:
            response = await AsyncClient().get(f"/centros/{center.slug}/eventos/")
            chunks = response.streaming_content.__aiter__()  # type: ignore[attr-defined]
            await chunks.__anext__()  # the opening "retry" block: now listening
            threading.Timer(0.2, issue_soon).start()
            found: list[dict] = []
            while not found:
                found += parse(await asyncio.wait_for(chunks.__anext__(), 10))
            await chunks.aclose()
            return found

        messages = async_to_sync(watch)()
        assert [(m["event"], m["data"]["code"]) for m in messages] == [("ticket.issued", "R-001")]
