"""The orientation desk in a real browser: search, two services on one visit,
with htmx partials; a screenshot goes to docs/screens/. The desk's browser
tests run on uvicorn (`asgi_url`, conftest.py): the desk opens the center's
event stream, which a WSGI test server cannot stream."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Page, expect

from mac.core.tests.browser import assert_accessible, screenshot
from mac.queueing.models import Counter, Ticket, Visit
from mac.queueing.testing import make_counter
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, url: str, world: World) -> None:
    """Olga (orientation staff) signed in, in the browser of `page`, for the
    server at `url`."""
    client = Client()
    client.force_login(world.olga)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "domain": urlparse(url).hostname or "localhost",
                "path": "/",
            }
        ]
    )


class TestOrientationDeskInTheBrowser:
    def test_it_puts_two_services_on_one_visit(
        self, page: Page, asgi_url: str, desk_world: World
    ) -> None:
        # counters that serve both services in Quechua
        Counter.objects.filter(center=desk_world.center).update(languages=["es", "qu"])
        make_counter(
            desk_world.center, desk_world.sunat, 2, [desk_world.ruc], languages=["es", "qu"]
        )
        sign_in(page, asgi_url, desk_world)
        page.goto(asgi_url + "/centros/lima-norte/orientacion/")
        assert_accessible(page)

        page.get_by_label("Lo que el ciudadano necesita, en sus palabras").fill("dni")
        page.get_by_role("button", name="Buscar").click()
        page.get_by_role("button", name="Añadir Duplicado del DNI").click()
        expect(page.locator("#elegidos li")).to_have_count(1)
        page.get_by_label("Lo que el ciudadano necesita, en sus palabras").fill("ruc")
        page.get_by_role("button", name="Buscar").click()
        page.get_by_role("button", name="Añadir Inscripción en el RUC").click()
        expect(page.locator("#elegidos li")).to_have_count(2)
        page.get_by_label("Número de documento").fill("10117410")
        page.get_by_label("Atención preferente").select_option("pregnant")
        page.get_by_label("Lengua", exact=True).select_option("qu")
        assert_accessible(page)

        page.get_by_role("button", name="Emitir tickets").click()
        expect(page.locator("#emitidos")).to_contain_text("Se emitieron 2 tickets")
        expect(page.locator("#elegidos li")).to_have_count(0)
        # the desk's "Emitidos hoy" list shows them at once, without a reload
        expect(page.locator("#recientes strong")).to_have_text(["S-001", "R-001"])
        screenshot(page, "orientation-desk.png")
        assert_accessible(page)

        visit = Visit.objects.get()
        assert sorted(visit.tickets.values_list("code", flat=True)) == ["R-001", "S-001"]
        assert (visit.priority_reason, visit.language) == ("pregnant", "qu")

    def test_a_double_click_makes_one_visit(
        self, page: Page, asgi_url: str, desk_world: World
    ) -> None:
        # given: one service chosen
        sign_in(page, asgi_url, desk_world)
        page.goto(asgi_url + "/centros/lima-norte/orientacion/")
        page.get_by_label("Lo que el ciudadano necesita, en sus palabras").fill("dni")
        page.get_by_role("button", name="Buscar").click()
        page.get_by_role("button", name="Añadir Duplicado del DNI").click()
        expect(page.locator("#elegidos li")).to_have_count(1)
        posts: list[str] = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

        # when: "Emitir tickets" is pressed twice in a row
        page.get_by_role("button", name="Emitir tickets").dblclick()

        # then: one request while the first is under way, one visit, one ticket
        expect(page.locator("#emitidos")).to_contain_text("R-001")
        assert len(posts) == 1
        assert (Visit.objects.count(), Ticket.objects.count()) == (1, 1)
