"""The site's icon: pages built on base.html name it, and /favicon.ico
(which browsers ask of pages that name none, such as the admin's) leads to
the static file instead of a 404."""

from __future__ import annotations

from pathlib import Path
from urllib.request import urlopen

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from pytest_django.live_server_helper import LiveServer

pytestmark = pytest.mark.django_db


class TestFavicon:
    def test_favicon_ico_leads_to_the_static_icon(self, client: Client) -> None:
        response = client.get("/favicon.ico")

        assert response.status_code == 302
        assert response["Location"] == "/static/mac/favicon.ico"

    def test_it_answers_head_and_refuses_post(self, client: Client) -> None:
        assert client.head("/favicon.ico").status_code == 302
        assert client.post("/favicon.ico").status_code == 405

    def test_the_static_files_are_an_icon_and_an_svg(self) -> None:
        ico = finders.find("mac/favicon.ico")
        svg = finders.find("mac/favicon.svg")

        assert isinstance(ico, str) and isinstance(svg, str)
        assert Path(ico).read_bytes()[:4] == b"\x00\x00\x01\x00"  # ICONDIR, type 1: icon
        text = Path(svg).read_text()
        assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">')
        assert 'fill="#9e1b32"' in text  # the brand's red (mac.css --color-brand)

    def test_pages_name_it(self, client: Client) -> None:
        html = client.get("/").content.decode()

        assert '<link rel="icon" href="/static/mac/favicon.ico" sizes="32x32">' in html
        assert '<link rel="icon" href="/static/mac/favicon.svg" type="image/svg+xml">' in html
        assert 'href="data:,"' not in html


@pytest.mark.django_db(transaction=True)
def test_a_browser_gets_the_icon_from_favicon_ico(live_server: LiveServer) -> None:
    with urlopen(f"{live_server.url}/favicon.ico") as response:  # follows the redirect
        body = response.read()

        assert response.status == 200
        assert response.url == f"{live_server.url}/static/mac/favicon.ico"
        assert response.headers["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert body == Path(str(finders.find("mac/favicon.ico"))).read_bytes()
