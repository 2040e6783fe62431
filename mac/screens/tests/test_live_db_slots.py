"""The live stream's database lookups take turns: under Django's ASGI handler
each stream runs them on a thread of its own, so without a limit hundreds of
screens reconnecting at once would open as many database connections. Every
lookup a stream makes waits for one of DB_SLOTS."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import ThreadSensitiveContext

from mac.screens import live

LOOKUPS: dict[str, tuple[Callable[..., Awaitable[Any]], tuple[Any, ...]]] = {
    "center": (live._center, ("lima-norte",)),
    "latest": (live._latest, ("queue.center.1",)),
    "replay": (live._replay, ("queue.center.1", 0)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(LOOKUPS))
def test_every_lookup_of_a_stream_waits_for_a_free_slot(name: str) -> None:
    lookup, args = LOOKUPS[name]
    # Given every slot taken by other streams' lookups
    held = 0
    while held < live.DB_SLOTS and live._DB_SLOTS.acquire(blocking=False):
        held += 1
    assert held == live.DB_SLOTS

    async def stream() -> tuple[bool, Any]:
        # As Django's ASGI handler runs each request
        async with ThreadSensitiveContext():
            task = asyncio.ensure_future(lookup(*args))
            done, _ = await asyncio.wait({task}, timeout=0.3)
            waited = not done
            # When the other lookups end
            nonlocal held
            while held:
                live._DB_SLOTS.release()
                held -= 1
            return waited, await asyncio.wait_for(task, 10)

    try:
        waited, result = asyncio.run(stream())
    finally:
        while held:
            live._DB_SLOTS.release()
            held -= 1

    # Then the lookup waited for them, and ran after
    assert waited is True
    assert result in (None, 0, [])
