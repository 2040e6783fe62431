"""Behind a reverse proxy every request comes from the proxy's address, and
the per-address limits (complaints book, appointments) would count all
citizens as one. `mac serve` takes the citizen's address from X-Forwarded-For
when, and only when, the request comes from a proxy it was told to trust."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn

from mac.core.management.commands.serve import TRUSTED_PROXIES, server_options


def client_seen(options: dict[str, Any], peer: str, forwarded: str | None) -> str:
    """The client address the application gets for one HTTP request from
    `peer` carrying X-Forwarded-For `forwarded`, through uvicorn's own stack
    as `mac serve` configures it (the Django app replaced by one that records
    what it receives)."""
    seen: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope["client"][0])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    config = uvicorn.Config(**{**options, "app": app})
    config.load()
    headers = [(b"host", b"mac.example.pe")]
    if forwarded is not None:
        headers.append((b"x-forwarded-for", forwarded.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "headers": headers,
        "client": (peer, 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    asyncio.run(config.loaded_app(scope, receive, send))
    return seen[0]


def test_a_local_proxy_is_trusted_by_default():
    options = server_options("127.0.0.1", 8000, 1, TRUSTED_PROXIES)

    assert client_seen(options, "127.0.0.1", "190.42.7.9") == "190.42.7.9"
    assert client_seen(options, "::1", "181.65.2.20") == "181.65.2.20"
    assert client_seen(options, "127.0.0.1", None) == "127.0.0.1"


def test_the_header_is_ignored_from_anyone_else():
    options = server_options("0.0.0.0", 8000, 1, TRUSTED_PROXIES)

    # A citizen cannot pick the address its limits are counted under.
    assert client_seen(options, "190.42.7.9", "1.2.3.4") == "190.42.7.9"


def test_a_proxy_on_another_host_is_trusted_when_listed():
    options = server_options("0.0.0.0", 8000, 1, "10.20.0.0/16")

    assert client_seen(options, "10.20.3.4", "190.42.7.9") == "190.42.7.9"
    # Chained proxies of that network are skipped; a forged entry further
    # left, written by the citizen, is not believed.
    assert client_seen(options, "10.20.3.4", "6.6.6.6, 190.42.7.9, 10.20.9.9") == "190.42.7.9"
    assert client_seen(options, "10.30.0.1", "190.42.7.9") == "10.30.0.1"
