"""Shared builders of the screen tests, and the live stream as the screens see
it: served by a real ASGI server (uvicorn), so that Server-Sent Events flow
the way they do in production (a WSGI test server would buffer them).

Other screen tests import `make_screen` and `events_of` from here; the
server is `servers.asgi_server` (the `asgi_url` fixture of conftest.py)."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

import pytest

from mac.accounts.models import Role, User
from mac.catalog.models import Entity, Requirement, Service
from mac.centers.models import Center, OpeningHours
from mac.core.testing import make_user
from mac.queueing import actions, cache
from mac.queueing.models import Counter, Ticket
from mac.queueing.queries import forget_service_times
from mac.queueing.testing import (
    make_advisor,
    make_counter,
    make_entity,
    queue_center,
    queue_service,
)
from mac.screens.tests.servers import asgi_server


@dataclass
class Screen:
    """A center open around the clock (tests run at any hour), two entities,
    three services, and the people at its screens."""

    center: Center
    reniec: Entity
    sunat: Entity
    dni: Service
    acta: Service
    ruc: Service
    counter: Counter  # RENIEC: dni and acta; nobody signed in
    spare: Counter  # RENIEC, second counter
    sunat_counter: Counter  # SUNAT: ruc; signed in
    bob: User  # advisor of RENIEC at this center
    sunat_advisor: User
    charlie: User  # advisor of SUNAT at another center
    olga: User  # orientation staff of this center (not an advisor)

    def issue(self, service: Service | None = None, **kw: Any) -> Ticket:
        return actions.issue_ticket(self.center, service or self.dni, **kw)

    def sign_in_bob(self) -> Counter:
        actions.sign_in(self.counter, by=self.bob)
        self.counter.refresh_from_db()
        return self.counter


def make_screen() -> Screen:
    cache.clear()
    forget_service_times()
    center = queue_center("lima-norte", name="Centro MAC Lima Norte")
    OpeningHours.objects.filter(center=center).delete()
    for weekday in range(7):
        OpeningHours.objects.create(
            center=center,
            weekday=weekday,
            opens=dt.time(0, 0),
            closes=dt.time(23, 59, 59, 999999),
        )
    other = queue_center("arequipa", name="Centro MAC Arequipa", district="040112")
    reniec = make_entity("RENIEC")
    sunat = make_entity("SUNAT")
    dni = queue_service(reniec, "Duplicado de DNI", center, series="R")
    Requirement.objects.create(service=dni, order=2, text="Pagar la tasa en el Banco de la Nación.")
    acta = queue_service(reniec, "Copia de acta de nacimiento", center, series="A")
    ruc = queue_service(sunat, "Inscripción en el RUC", center, series="S")
    counter = make_counter(center, reniec, 1, [dni, acta])
    spare = make_counter(center, reniec, 2, [dni])
    sunat_counter = make_counter(center, sunat, 3, [ruc])
    bob = make_advisor(center, reniec, "bob")
    sunat_advisor = make_advisor(center, sunat, "sofia")
    actions.sign_in(sunat_counter, by=sunat_advisor)
    sunat_counter.refresh_from_db()
    charlie = make_advisor(other, sunat, "charlie")
    olga = make_user("olga", Role.ORIENTATION, center=center)
    return Screen(
        center,
        reniec,
        sunat,
        dni,
        acta,
        ruc,
        counter,
        spare,
        sunat_counter,
        bob,
        sunat_advisor,
        charlie,
        olga,
    )


def events_of(url: str, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
    """Read `count` events (id, event, data) from an SSE URL, within
    `timeout` seconds in all (comments keep a stream busy without events)."""
    got: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    deadline = time.monotonic() + timeout
    with urllib.request.urlopen(url, timeout=timeout) as response:
        for raw in response:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(got)} of {count} events in {timeout} s: {got}")
            line = raw.decode().rstrip("\n")
            if not line:
                if "data" in current:
                    got.append(current)
                    if len(got) == count:
                        return got
                current = {}
                continue
            if line.startswith(":"):
                continue
            field, _, value = line.partition(": ")
            current[field] = json.loads(value) if field == "data" else value
    return got


def log_in(page: Any, base: str, user: User) -> None:
    """Give the browser page a session of `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])


def wait_for_event(page: Any, handle: str, center: Center) -> None:
    """Wait until the page's script (window[handle]) has seen the center's
    newest event."""
    from mac.screens.queries import last_event_id

    newest = last_event_id(center)
    page.wait_for_function(f"() => window.{handle} && window.{handle}.lastEventId >= {newest}")


@pytest.mark.django_db(transaction=True)
class TestLiveStateStream:
    def test_it_streams_what_the_actions_did_since_the_screens_state(self) -> None:
        # given a center whose board state was read after one ticket
        from mac.screens import queries

        screen = make_screen()
        first = screen.issue()
        since = queries.last_event_id(screen.center)
        counter = screen.sign_in_bob()

        # when the advisor calls that ticket
        actions.call_next(counter, by=screen.bob)

        # then the stream replays, from the state's id on, the sign-in and the call
        with asgi_server() as base:
            url = f"{base}/centros/lima-norte/eventos/?desde={since}"
            events = events_of(url, 2)
        assert [e["event"] for e in events] == ["counter.open", "ticket.called"]
        call = events[1]["data"]
        assert call["ticket"] == first.pk
        assert call["code"] == "R-001"
        assert call["counter_label"] == "Módulo 1"
        assert int(events[1]["id"]) > int(events[0]["id"]) > since

    def test_it_does_not_replay_what_the_state_already_holds(self) -> None:
        from mac.screens import queries

        screen = make_screen()
        screen.issue()
        since = queries.last_event_id(screen.center)
        screen.issue(screen.acta)

        with asgi_server() as base:
            events = events_of(f"{base}/centros/lima-norte/eventos/?desde={since}", 1)

        assert [(e["event"], e["data"]["code"]) for e in events] == [("ticket.issued", "A-001")]
