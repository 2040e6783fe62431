"""Fixtures of the screens' browser tests: the demo center (`screen`) and the
project's ASGI app served by uvicorn in a thread (`asgi_url`, its URL;
`base`, the same with the demo center), because live_server's WSGI server
would buffer the event stream; the orientation desk's world (`desk_world`)."""

from collections.abc import Iterator

import pytest
import time_machine

from mac.queueing.testing import OPEN
from mac.screens import printing
from mac.screens.tests.servers import asgi_server
from mac.screens.tests.test_kiosk_setup import World, build_world
from mac.screens.tests.test_live_state_stream import Screen, make_screen


@pytest.fixture(autouse=True)
def _printers_up() -> None:
    """Each test tries its printers afresh (a failure skips one for a while)."""
    printing.forget_down_printers()


@pytest.fixture
def screen(transactional_db: None) -> Screen:
    return make_screen()


@pytest.fixture
def asgi_url(transactional_db: None) -> Iterator[str]:
    """The base URL of the project's ASGI app under uvicorn, for the browser
    tests of a screen that opens the live event stream (servers.py)."""
    with asgi_server() as url:
        yield url


@pytest.fixture
def base(screen: Screen, asgi_url: str) -> str:
    return asgi_url


@pytest.fixture
def desk_world(transactional_db: None, settings: object) -> Iterator[World]:
    """The kiosk's world (mac/screens/tests/test_kiosk_setup.py) for the
    orientation desk's browser tests: a dummy ticket printer, and the clock
    at OPEN, ticking (the browser and the server wait on real time)."""
    settings.TICKET_PRINTER = "dummy"  # type: ignore[attr-defined]
    with time_machine.travel(OPEN, tick=True):
        yield build_world()
