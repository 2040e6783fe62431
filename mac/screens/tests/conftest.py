"""Fixtures of the screens' browser tests: the demo center (`screen`) and the
project's ASGI app served by uvicorn in a thread (`base`, its URL), because
live_server's WSGI server would buffer the event stream."""

from collections.abc import Iterator

import pytest

from mac.screens import printing
from mac.screens.tests.test_live_state_stream import Screen, asgi_server, make_screen


@pytest.fixture(autouse=True)
def _printers_up() -> None:
    """Each test tries its printers afresh (a failure skips one for a while)."""
    printing.forget_down_printers()


@pytest.fixture
def screen(transactional_db: None) -> Screen:
    return make_screen()


@pytest.fixture
def base(screen: Screen) -> Iterator[str]:
    with asgi_server() as url:
        yield url
