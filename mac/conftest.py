from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from mac.core.testing import Personas, make_personas

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from mac.queueing.testing import HandClock


# Hypothesis checks behaviour here, never speed: the tests run in two
# processes on shared machines, where a draw may stall for a second.
hypothesis_settings.register_profile(
    "mac", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("mac")


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the site's language, whatever an earlier test of
    this worker activated (the active language is per thread)."""
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


# -- Browser tests (Playwright + Debian's Chromium; see mac/core/tests/browser.py)


class _Chromium:
    """One headless Chromium for each run of consecutive browser tests. It is
    closed before any other test: while Playwright is open its event loop
    counts as running in the main thread, so `asyncio.run` and `async_to_sync`
    (async views, the async test client) would fail in a test after it. Browser
    tests run last (below), but a parallel run (pytest-xdist, whole files per
    worker) may give a worker a browser test before other tests."""

    def __init__(self) -> None:
        self._launched: AbstractContextManager[Browser] | None = None
        self._browser: Browser | None = None

    def get(self) -> Browser:
        if self._browser is None:
            from mac.core.tests.browser import launched_browser

            self._launched = launched_browser()
            self._browser = self._launched.__enter__()
        return self._browser

    def close(self) -> None:
        launched, self._launched, self._browser = self._launched, None, None
        if launched is not None:
            launched.__exit__(None, None, None)


_chromium = _Chromium()


@pytest.fixture
def browser() -> Browser:
    """The headless Chromium (launched at the first browser test of a run)."""
    return _chromium.get()


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is None:
        _chromium.close()


def pytest_sessionfinish() -> None:
    _chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context (desktop size, es-PE) for each test."""
    from mac.core.tests.browser import fresh_page

    with fresh_page(browser) as new_page:
        yield new_page


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run browser tests last. While the session's Playwright is open its event
    loop counts as running in the main thread, so `asyncio.run` and
    `async_to_sync` (async views, the async test client) would fail in any test
    that ran after the first browser test."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing with the production hasher costs ~0.4 s per user created.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every search checks the configuration generation: a change made through
    # an action is seen by the next search, as by another worker's.
    settings.SEARCH_INDEX_CHECK_SECONDS = 0
    # Server threads of browser tests must not keep connections to the test
    # database past their request, or it cannot be dropped at the end.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SMS go to mac.notify.sms.outbox, as emails go to django.core.mail.outbox.
    settings.SMS_BACKEND = "mac.notify.sms.LocmemBackend"


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> None:
    from mac.notify import sms

    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _fresh_search_index() -> None:
    """Each test starts without a search index: the generation it was built
    under comes again after a test's rollback, with other rows. A test that
    writes the catalog directly (no action raises the generation) after a
    search drops the index itself (`search.invalidate()`), as this process's
    own event would."""
    from mac.catalog import search

    search.invalidate()


@pytest.fixture(autouse=True)
def cache_clock() -> HandClock:
    """Centers' schedules are cached per process by id, and ids come again
    after a test's rollback: each test starts without them, on a clock that
    only the test moves (`cache_clock.advance(s)`), so the caches read the
    configuration generation, and expire, only where a test says: the tests
    that count statements count the same whatever the machine's speed."""
    from mac.queueing import cache
    from mac.queueing.testing import HandClock

    clock = HandClock()
    cache.restart(clock)
    return clock


@pytest.fixture(scope="session", autouse=True)
def _stop_event_relay(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The live-event relay holds a LISTEN connection to the test database:
    close it before the database is dropped."""
    yield
    from django.db import connection

    from mac.core.live import broker

    broker.stop()
    if connection.vendor == "postgresql":
        # Server threads of browser tests (uvicorn, live_server) may still hold
        # a connection when the session ends; the test database must be dropped.
        # A thread that was mid-request may connect again once: end sessions
        # until none is left (for up to 10 s).
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for _ in range(50):
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                (ended,) = cursor.fetchone()
                if not ended:
                    break
                time.sleep(0.2)
        # And this one: the database is dropped from another.
        connection.close()
