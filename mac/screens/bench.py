"""`mac bench board`: time from a call to its delivery on many board clients.

A real server (uvicorn, one worker, in a subprocess) serves the center's SSE
stream to `clients` connections held open by this process; this process
calls tickets through the queue actions, as an advisor's request would. Each
call's event crosses processes the way it does in production: committed
with the call, then PostgreSQL NOTIFY to the server's relay, then SSE. The
latency of a (client, call) pair is the time from the call's commit to the
arrival of its event at that client. PostgreSQL only (on SQLite, events
cross no processes).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from django.db import connection

from mac.core.bench import machine, summary_ms
from mac.queueing import actions
from mac.queueing.bench import _setup


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server(port: int) -> subprocess.Popen[bytes]:
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "mac.settings"}
    command = [sys.executable, "-m", "uvicorn", "mac.asgi:application", "--port", str(port)]
    command += ["--log-level", "warning", "--lifespan", "off"]
    server = subprocess.Popen(command, env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the board server did not start")


async def _client(
    port: int, path: str, arrivals: dict[int, float], ready: asyncio.Event, stop: asyncio.Event
) -> None:
    # HTTP/1.0: the stream comes unchunked, one SSE line per line.
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    try:
        while not stop.is_set():
            line = await reader.readline()
            if not line:
                break
            if line.startswith(b"retry:"):  # the server has subscribed this stream
                ready.set()
            elif line.startswith(b"data: "):
                payload = json.loads(line[6:])
                if payload.get("type") == "ticket.called":
                    arrivals.setdefault(payload["ticket"], time.time())
    finally:
        writer.close()


def bench_board(
    *,
    clients: int = 200,
    calls: int = 30,
    policy: str = "fifo",
    log: Callable[[str], None],
    **options: Any,
) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise SystemExit("mac bench board necesita PostgreSQL (DATABASE_URL).")
    center, services, staff = _setup(min(calls, 40), policy)
    for n in range(calls):
        actions.issue_ticket(center, services[n % len(services)])
    connection.close()
    port = _free_port()
    log(f"Servidor en el puerto {port}; {clients} pantallas conectadas...")
    server = _server(port)
    committed: dict[int, float] = {}
    per_client: list[dict[int, float]] = [{} for _ in range(clients)]

    async def run() -> None:
        stop = asyncio.Event()
        ready = [asyncio.Event() for _ in range(clients)]
        tasks = [
            asyncio.create_task(
                _client(port, f"/centros/{center.slug}/eventos/", per_client[i], ready[i], stop)
            )
            for i in range(clients)
        ]
        await asyncio.gather(*(r.wait() for r in ready))
        await asyncio.sleep(1.0)  # let the server register every stream
        log(f"{calls} llamadas, una cada 0,3 s...")
        made = 0
        for counter, advisor in staff:
            if made == calls:
                break
            ticket = await asyncio.to_thread(_call, counter, advisor)
            if ticket is not None:
                committed[ticket] = time.time()
                made += 1
            await asyncio.sleep(0.3)
        await asyncio.sleep(5.0)  # the last deliveries
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    try:
        asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=10)
    delays = [
        arrivals[ticket] - at
        for arrivals in per_client
        for ticket, at in committed.items()
        if ticket in arrivals
    ]
    expected = len(committed) * clients
    summary = summary_ms([max(0.0, d) for d in delays]) if delays else {}
    result = {
        "benchmark": "board",
        "machine": machine(),
        "clients": clients,
        "calls": len(committed),
        "delivered": len(delays),
        "expected": expected,
        "latency": summary,
    }
    result["table"] = "\n".join(
        [
            f"mac bench board — {machine()}",
            f"{clients} pantallas, {len(committed)} llamadas: "
            f"entregados {len(delays)} de {expected} eventos",
            f"de la llamada a la pantalla: p50 {summary.get('p50_ms', float('nan')):.1f} ms, "
            f"p95 {summary.get('p95_ms', float('nan')):.1f} ms, "
            f"max {summary.get('max_ms', float('nan')):.1f} ms",
        ]
    )
    return result


def _call(counter: Any, advisor: Any) -> int | None:
    try:
        ticket = actions.call_next(counter, by=advisor)
        return ticket.pk if ticket else None
    finally:
        connection.close()
