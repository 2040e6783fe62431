"""A screen whose own automatic htmx request is refused (PermissionDenied)
while the screen itself loads would reload for ever if the refusal reloaded
the screen: the browser is sent instead to the 403 page at /sin-acceso/,
which is not the screen and asks nothing by itself, with the reason and a
link back. Its reason and way back are signed: an altered address shows the
general reason and no link, and a screen of another site gets no link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from mac.core.middleware import forbidden_url
from mac.core.tests.forbidden_screen_urls import PART, REASON, SCREEN

pytestmark = [pytest.mark.django_db, pytest.mark.urls("mac.core.tests.forbidden_screen_urls")]
GENERAL = "Esta cuenta no tiene acceso a esta página."


def automatic(client: Client, current: str = f"http://testserver{SCREEN}") -> Any:
    """The part's own request, as htmx sends it from the screen."""
    return client.get(PART, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=current)


class TestRefusedAutomaticRequest:
    def test_the_screen_itself_loads(self, client: Client) -> None:
        html = client.get(SCREEN).content.decode()

        assert f'hx-get="{PART}" hx-trigger="load, every 1s"' in html

    def test_it_sends_the_browser_away_from_the_screen(self, client: Client) -> None:
        response = automatic(client)

        assert (response.status_code, response.content) == (403, b"")
        assert not response.has_header("HX-Refresh")
        assert urlsplit(response["HX-Redirect"]).path == "/sin-acceso/"

    def test_the_page_it_goes_to_asks_nothing_by_itself(self, client: Client) -> None:
        target = automatic(client)["HX-Redirect"]

        page = client.get(target)

        html = page.content.decode()
        assert page.status_code == 403
        assert REASON in html
        assert f'<a href="{SCREEN}">Volver a la pantalla</a>' in html
        assert "hx-" not in html and "EventSource" not in html
        assert "no-cache" in page["Cache-Control"]

    def test_another_sites_screen_gets_no_way_back(self, client: Client) -> None:
        target = automatic(client, current="https://example.com/phish/")["HX-Redirect"]

        html = client.get(target).content.decode()

        assert REASON in html
        assert "Volver a la pantalla" not in html
        assert 'href="/personal/entrar/?next=/"' in html


class TestForbiddenPageAddress:
    def test_an_altered_address_says_nothing_of_its_own(self, client: Client) -> None:
        query = urlsplit(forbidden_url("Texto de otro", "/x/")).query
        altered = "/sin-acceso/?" + query[:-3] + ("AAA" if query[-3:] != "AAA" else "BBB")

        html = client.get(altered).content.decode()

        assert GENERAL in html
        assert "Texto de otro" not in html and "Volver a la pantalla" not in html

    def test_a_bare_address_gives_the_general_reason(self, client: Client) -> None:
        page = client.get("/sin-acceso/")

        assert page.status_code == 403
        assert GENERAL in page.content.decode()
