"""In a real browser: a citizen who changed the day in place (htmx) and
then switches to Runasimi stays on that day of the same service and center."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from mac.appointments.testing import MORNING
from mac.appointments.tests.pages import Citas, build_citas, day_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citas(transactional_db: None, settings: Any) -> Iterator[Citas]:
    settings.APPOINTMENTS = {"POW_REQUIRED": False}
    with time_machine.travel(MORNING, tick=True):
        yield build_citas()


class TestPagesBrowserLanguage:
    def test_it_switches_language_on_the_day_chosen_in_place(
        self, page: Page, live_server: LiveServer, citas: Citas
    ) -> None:
        # given a citizen on the slots of Tuesday, who moves to Wednesday in place
        page.goto(live_server.url + day_url(citas))
        page.get_by_role("link", name="Día siguiente").click()
        expect(page.locator("#aviso")).to_have_text(
            "Hay 30 horarios libres el miércoles 2 de diciembre de 2026."
        )

        # when they switch to Runasimi
        page.get_by_role("button", name="Runasimi").click()

        # then they are on Wednesday's slots of the same service, in Quechua
        expect(page.locator("html")).to_have_attribute("lang", "qu")
        expect(page).to_have_url(re.compile(r"servicio=\d+&centro=lima-norte&dia=2026-12-02$"))
        expect(page.locator("#aviso")).to_have_text(
            "Quyllurchaw 2 Qhapaq raymi killa 2026-pi 30 ch'usaq hora kan."
        )
