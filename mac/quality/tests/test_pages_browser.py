"""The complaints book in a real browser: a citizen on a phone goes through
the first step, fills the claim sheet (districts narrowed by htmx, the proof
of work solved by the real pow.js, a refused DNI shown next to its field),
gets the code and downloads the constancia; another browser tracks the claim
by code and document; the entity's supervisor reads it in the staff screens.
axe-core finds no WCAG 2.1 AA violation on any of these pages, and the
citizen's pages fit a 360 px phone. Screenshots: docs/screens/reclamo-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from mac.core.testing import CITIZEN_DNI, PASSWORD
from mac.core.tests.browser import (
    PHONE,
    assert_accessible,
    fresh_page,
    horizontal_overflow,
    screenshot,
)
from mac.quality.models import Complaint
from mac.quality.testing import PDF_BYTES

from .conftest import NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "RENIEC-2026-000001"
TICKET: FilePayload = {"name": "ticket.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


@pytest.fixture
def running_clock(world: Any, settings: Any) -> Iterator[time_machine.Traveller]:
    settings.QUALITY = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 2000}
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def check(page: Page) -> None:
    """No axe violation, and nothing wider than the phone."""
    assert_accessible(page)
    assert horizontal_overflow(page) == 0, page.url


def settled(page: Page, action: Any) -> None:
    """Do `action` and wait until the htmx swap it causes has settled (the
    swapped-in selects then answer their own changes)."""
    page.evaluate(
        "() => { window.settled = new Promise((done) => document.body.addEventListener("
        "'htmx:afterSettle', done, {once: true})); }"
    )
    action()
    page.evaluate("() => window.settled")


def fill_sheet(page: Page, document: str) -> None:
    page.get_by_label("Entidad sobre la que reclamas").select_option(
        label="RENIEC — Registro Nacional de Identificación y Estado Civil"
    )
    page.get_by_role("radio", name="Centro MAC").check()
    page.get_by_label("¿En qué Centro MAC?").select_option(label="Centro MAC Lima Norte")
    page.get_by_role("radio", name="Demora o tiempo de espera").check()
    page.get_by_label("Nombres y apellidos", exact=True).fill("Ana Quispe Mamani")
    page.get_by_label("Número de documento", exact=True).fill(document)
    page.get_by_label("Domicilio (calle, número, urbanización)").fill("Jr. Los Pinos 123")
    settled(page, lambda: page.get_by_label("Departamento").select_option(value="15"))
    settled(page, lambda: page.get_by_label("Provincia").select_option(value="1501"))
    page.get_by_label("Distrito").select_option(value="150110")
    page.get_by_label("Correo electrónico").fill("ana@example.pe")
    page.get_by_label("¿Qué pasó? Descripción de los hechos").fill(
        "Esperé tres horas para el duplicado de DNI y nadie informaba."
    )
    page.get_by_label("¿Qué pides? Tu pedido").fill("Que informen los tiempos de espera.")
    page.get_by_label("Archivos adjuntos").set_input_files(files=[TICKET])
    page.get_by_role("radio", name="Sí").check()


class TestComplaintsInTheBrowser:
    def test_it_files_a_claim_and_tracks_it(
        self, browser: Browser, live_server: LiveServer, running_clock: Any
    ) -> None:
        with fresh_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as page:
            # 1. the first step, from the link on the home page
            page.goto(live_server.url + "/")
            check(page)  # the footer's link fits the phone and passes axe
            page.get_by_role("link", name="Libro de Reclamaciones").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Libro de Reclamaciones")
            check(page)
            screenshot(page, "reclamo-1-primer-paso.png")
            page.get_by_role("radio", name="Tengo una consulta").check()
            page.get_by_role("button", name="Continuar").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Una consulta no es un reclamo: te la respondemos aquí"
            )
            check(page)
            screenshot(page, "reclamo-1-consulta.png")
            page.get_by_role("link", name="Volver").click()
            page.get_by_role("radio", name="Estoy insatisfecho con la atención").check()
            page.get_by_role("button", name="Continuar").click()

            # 2. the sheet: a DNI too short is refused next to its field
            expect(page.get_by_role("heading", level=1)).to_have_text("Hoja de reclamación")
            fill_sheet(page, "1234")
            send = page.get_by_role("button", name="Enviar reclamo")
            expect(send).to_be_enabled()  # pow.js found the number
            check(page)
            screenshot(page, "reclamo-2-hoja.png")
            send.click()
            expect(page.get_by_role("alert")).to_contain_text("El DNI tiene 8 dígitos.")
            expect(page.get_by_label("Distrito")).to_have_value("150110")
            check(page)
            screenshot(page, "reclamo-2-hoja-error.png")
            page.get_by_label("Número de documento", exact=True).fill(CITIZEN_DNI)
            page.get_by_label("Archivos adjuntos").set_input_files(files=[TICKET])
            expect(send).to_be_enabled()
            send.click()

            # 3. the code, the deadline and the constancia
            expect(page.get_by_role("heading", level=1)).to_have_text("Registramos tu reclamo")
            expect(page.locator("#codigo-reclamo")).to_have_text(CODE)
            expect(page.get_by_text("hasta el jueves 17 de diciembre de 2026")).to_be_visible()
            check(page)
            screenshot(page, "reclamo-3-constancia.png")
            with page.expect_download() as download:
                page.get_by_role("link", name="Descargar la constancia (PDF)").click()
            assert download.value.suggested_filename == f"constancia-{CODE}.pdf"
            assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

        complaint = Complaint.objects.get()
        assert (complaint.code, complaint.document_number, complaint.district_id) == (
            CODE,
            CITIZEN_DNI,
            "150110",
        )
        assert complaint.attachments.get().name == "ticket.pdf"

        # 4. another browser tracks it: a wrong document reveals nothing
        with fresh_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as page:
            page.goto(live_server.url + f"/reclamaciones/seguimiento/?codigo={CODE}")
            expect(page.get_by_label("Código del reclamo")).to_have_value(CODE)
            page.get_by_label("Número de documento").fill("40506070")
            page.get_by_role("button", name="Ver mi reclamo").click()
            expect(page.get_by_role("alert")).to_contain_text(
                "No encontramos un reclamo con ese código y ese documento."
            )
            check(page)
            screenshot(page, "reclamo-4-seguimiento-error.png")
            page.get_by_label("Número de documento").fill(CITIZEN_DNI)
            page.get_by_role("button", name="Ver mi reclamo").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(f"Reclamo {CODE}")
            expect(page.get_by_text("Registrado", exact=True)).to_be_visible()
            check(page)
            screenshot(page, "reclamo-4-seguimiento.png")

    def test_the_staff_screens_have_no_violations(
        self, browser: Browser, live_server: LiveServer, world: Any, running_clock: Any
    ) -> None:
        from mac.quality.testing import file

        complaint = file(world.personas, facts="<script>alert(1)</script> Esperé tres horas.")
        with fresh_page(browser) as page:
            page.goto(live_server.url + "/admin/login/?next=/reclamaciones/personal/")
            page.get_by_label("Nombre de usuario").fill("carol")
            page.get_by_label("Contraseña").fill(PASSWORD)
            page.get_by_role("button", name="Iniciar sesión").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Reclamos")
            assert_accessible(page)
            screenshot(page, "reclamo-5-personal-lista.png")
            page.get_by_role("link", name=complaint.code).click()
            expect(page.locator("#hechos")).to_have_text(
                "<script>alert(1)</script> Esperé tres horas."
            )
            assert_accessible(page)
            screenshot(page, "reclamo-5-personal-detalle.png")
            page.get_by_role("button", name="Tomar en trámite").click()
            expect(page.get_by_role("status")).to_contain_text("El reclamo está en trámite.")
            assert_accessible(page)
            page.get_by_role("link", name="Reportes").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Reportes del Libro de Reclamaciones"
            )
            assert_accessible(page)
            screenshot(page, "reclamo-6-reportes.png")
