"""The project's ASGI application under uvicorn, for the screens' tests.

The browser tests of a screen that opens its center's event stream (boards,
desks, the status page) run against it, through the `asgi_url` fixture of
this folder's conftest.py, rather than pytest-django's `live_server`: that
WSGI server cannot stream the asynchronous response (Django buffers it
whole and warns "StreamingHttpResponse must consume asynchronous
iterators"), so the page would not be tested on its live path."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def asgi_server() -> Iterator[str]:
    """The project's ASGI application under uvicorn in a thread; yields its
    base URL. Needs a transactional database (like live_server)."""
    import asyncio

    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from mac.asgi import application

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application),
        log_level="critical",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)

    def run() -> None:
        asyncio.run(server.serve(sockets=[sock]))

    thread = threading.Thread(target=run, name="asgi-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the ASGI test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
