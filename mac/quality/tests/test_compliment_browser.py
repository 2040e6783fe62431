"""The compliment form in a real browser: pow.js solves the compliments
book's own challenge (/felicitaciones/desafio/, bound to that book) and the
compliment is filed with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from mac.core.models import SpentChallenge
from mac.quality.models import Compliment

from .conftest import NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running_clock(world: Any, settings: Any) -> Iterator[time_machine.Traveller]:
    settings.QUALITY = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 2000}
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


class TestComplimentInTheBrowser:
    def test_it_files_a_compliment_with_its_books_proof(
        self, page: Page, live_server: LiveServer, running_clock: Any
    ) -> None:
        page.goto(live_server.url + "/felicitaciones/")
        page.get_by_label("Entidad que te atendió").select_option(
            label="RENIEC — Registro Nacional de Identificación y Estado Civil"
        )
        page.get_by_role("radio", name="Centro MAC").check()
        page.get_by_label("¿En qué Centro MAC?").select_option(label="Centro MAC Lima Norte")
        page.get_by_label("Tu felicitación").fill("Me atendieron con paciencia y en quechua.")
        send = page.get_by_role("button", name="Enviar felicitación")
        expect(send).to_be_enabled()  # pow.js found the number
        send.click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Gracias por tu felicitación")
        code = Compliment.objects.get().code
        expect(page.locator("#codigo-felicitacion")).to_have_text(code)
        assert SpentChallenge.objects.count() == 1
