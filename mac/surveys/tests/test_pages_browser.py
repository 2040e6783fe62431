"""Surveys in a real browser: a citizen answers from the link on a phone
(a missing answer is pointed out first), the link then says it was answered;
the counter's tablet and the staff results page. axe-core finds no WCAG 2.1
AA violation on any of them, and nothing is wider than the phone.
Screenshots go to docs/screens/encuesta-*.png."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import signing
from django.test import Client
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from mac.core.testing import make_personas
from mac.core.tests.browser import (
    PHONE,
    assert_accessible,
    fresh_page,
    horizontal_overflow,
    screenshot,
)
from mac.queueing.testing import OPEN
from mac.screens.kiosk import DEVICE_COOKIE, DEVICE_SALT
from mac.screens.models import KioskDevice
from mac.surveys import actions
from mac.surveys.models import Invitation, Response
from mac.surveys.testing import World, answered_many, attend, build_world
from mac.surveys.tests.test_figures import rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AFTERNOON = OPEN.replace(hour=16)
TABLET = {"width": 1024, "height": 768}


@pytest.fixture
def world(transactional_db: None, settings: Any) -> Iterator[World]:
    settings.SURVEYS = {"MIN_SAMPLE": 10}
    with time_machine.travel(AFTERNOON, tick=True):
        built = build_world(make_personas())
        answered_many(
            built.reniec_counter,
            built.bob,
            built.dni,
            [
                {**row, "comment": "Me atendieron rápido"} if i == 3 else row
                for i, row in enumerate(rows())
            ],
        )
        yield built


def check(page: Page) -> None:
    assert_accessible(page)
    assert horizontal_overflow(page) == 0, page.url


def cookie(page: Page, live_server: LiveServer, name: str, value: str) -> None:
    host = urlparse(live_server.url).hostname or "localhost"
    page.context.add_cookies([{"name": name, "value": value, "domain": host, "path": "/"}])


def choose(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_role("radio", name=answer, exact=True).check()


class TestSurveysInTheBrowser:
    def test_a_citizen_answers_from_the_link(
        self, browser: Browser, live_server: LiveServer, world: World
    ) -> None:
        attention = attend(world.reniec_counter, world.bob, world.dni, at=OPEN.replace(hour=15))
        invitation = actions.offer(attention)
        with fresh_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as page:
            # 1. the questionnaire
            page.goto(f"{live_server.url}/encuestas/{invitation.token}/")
            expect(page.get_by_role("heading", level=1)).to_have_text("¿Cómo te atendimos?")
            expect(page.get_by_text("Duplicado del DNI (RENIEC)")).to_be_visible()
            check(page)
            screenshot(page, "encuesta-1-preguntas.png")

            # 2. one answer missing: pointed out, nothing stored
            overall = "En general, ¿qué tan satisfecho quedaste con la atención de hoy?"
            choose(page, overall, "4 Satisfecho")
            for question in [
                "El trato que recibiste: amable y respetuoso.",
                "La información que te dieron: precisa, clara y a tiempo.",
                "El tiempo que esperaste y el tiempo que tomó tu trámite.",
                "Que se cumplieran los pasos y plazos que te indicaron.",
                "El resultado: si lograste lo que viniste a hacer.",
                "Lo fácil que fue llegar, entrar y ser atendido, también en tu lengua.",
            ]:
                choose(page, question, "5 Muy satisfecho")
            choose(page, "Del 0 al 10, ¿qué tan probable es que recomiendes", "9")
            page.get_by_role("button", name="Enviar mis respuestas").click()
            alert = page.get_by_role("alert")
            expect(alert).to_contain_text("Revisa tus respuestas")
            expect(alert).to_contain_text("La confianza que te da que tu trámite quedó bien hecho.")
            check(page)
            screenshot(page, "encuesta-2-falta-una.png")
            assert not Response.objects.filter(attention=attention).exists()

            # 3. completed: thanks
            question = "La confianza que te da que tu trámite quedó bien hecho."
            choose(page, question, "3 Ni satisfecho ni insatisfecho")
            page.get_by_label("¿Algo más que quieras contarnos? (opcional)").fill(
                "Todo bien, pero faltan sillas."
            )
            page.get_by_role("button", name="Enviar mis respuestas").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("¡Gracias por responder!")
            check(page)
            screenshot(page, "encuesta-3-gracias.png")

            # 4. the link again: already answered
            page.goto(f"{live_server.url}/encuestas/{invitation.token}/")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Esta encuesta ya fue respondida"
            )
            check(page)
            screenshot(page, "encuesta-4-ya-respondida.png")

        response = Response.objects.get(attention=attention)
        assert (response.overall, response.kind_treatment, response.trust) == (4, 5, 3)
        assert (response.recommend, response.comment, response.channel) == (
            9,
            "Todo bien, pero faltan sillas.",
            "link",
        )
        invitation.refresh_from_db()
        assert invitation.answered_at == response.answered_at

    def test_the_tablet_and_the_results_have_no_violations(
        self, browser: Browser, live_server: LiveServer, world: World
    ) -> None:
        # the counter's tablet, right after an attention
        attend(world.reniec_counter, world.bob, world.dni, at=AFTERNOON - dt.timedelta(minutes=14))
        device = KioskDevice.objects.create(
            center=world.personas.lima_norte, name="Tableta módulo 1", created_at=OPEN
        )
        with fresh_page(browser, viewport=TABLET, has_touch=True) as page:
            cookie(page, live_server, DEVICE_COOKIE, signing.dumps(device.pk, salt=DEVICE_SALT))
            page.goto(f"{live_server.url}/encuestas/modulo/{world.reniec_counter.pk}/")
            expect(page.get_by_role("heading", level=1)).to_have_text("¿Cómo te atendimos?")
            check(page)
            screenshot(page, "encuesta-5-tableta.png")
            page.get_by_role("button", name="Ahora no, gracias").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Gracias por tu visita")
            check(page)
        assert Invitation.objects.filter(tablet_dismissed_at__isnull=False).count() == 1

        # the results, as RENIEC's supervisor
        client = Client()
        client.force_login(world.personas.carol)
        session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        with fresh_page(browser) as page:
            cookie(page, live_server, django_settings.SESSION_COOKIE_NAME, session)
            page.goto(f"{live_server.url}/encuestas/resultados/?agrupar=advisor")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Resultados de las encuestas de satisfacción"
            )
            expect(page.locator("#factores")).to_contain_text("Trato amable")
            expect(page.get_by_text("Me atendieron rápido")).to_be_visible()
            check(page)
            screenshot(page, "encuesta-6-resultados.png")
