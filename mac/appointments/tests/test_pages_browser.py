"""Appointments in a real browser: a citizen books on a phone (the proof of
work solved by the real pow.js), reschedules on the manage page, and checks
in at the kiosk; the demo's operator of Aló MAC books for a caller on the
same pages; axe-core finds no WCAG 2.1 AA violation on any of the pages,
which fit a 360 px phone. Screenshots go to docs/screens/citas-*.png."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from mac.accounts.models import User
from mac.appointments import actions as appointments
from mac.appointments.models import Booking
from mac.appointments.testing import MORNING, OTHER_DNI, agenda, lima
from mac.catalog.data.users import USERS, demo_password
from mac.core.testing import CITIZEN_DNI
from mac.core.tests.browser import (
    PHONE,
    assert_accessible,
    fresh_page,
    horizontal_overflow,
    screenshot,
)
from mac.queueing.models import Ticket
from mac.screens import printing
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_browser import KIOSK_VIEWPORT, as_kiosk
from mac.screens.tests.test_kiosk_setup import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches

DNI_3 = "20304050"


@pytest.fixture
def clock(transactional_db: None, settings: Any) -> Iterator[time_machine.Traveller]:
    settings.APPOINTMENTS = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 2000}
    settings.TICKET_PRINTER = "dummy"
    with time_machine.travel(MORNING, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(clock: time_machine.Traveller) -> World:
    built = build_world()
    agenda(built.center, built.dni)
    return built


def demo_operator() -> User:
    """The demo's operator of Aló MAC, as `mac seed` makes it."""
    spec = next(u for u in USERS if u["role"] == "call_center")
    return User.objects.create_user(
        spec["username"],
        password=demo_password(spec["username"]),
        role=spec["role"],
        first_name=spec["first_name"],
        last_name=spec["last_name"],
    )


def sign_in(page: Page, live_server: LiveServer, user: User, then: str) -> None:
    """The browser signed in as `user` on the staff's sign-in page, with the
    demo's password, sent on to `then`."""
    page.goto(f"{live_server.url}/personal/entrar/?next={then}")
    page.get_by_label("Usuario").fill(user.username)
    page.get_by_label("Contraseña").fill(demo_password(user.username))
    page.get_by_role("button", name="Ingresar").click()
    expect(page).to_have_url(live_server.url + then)


def check(page: Page) -> None:
    """No axe violation, and nothing wider than the phone."""
    assert_accessible(page)
    assert horizontal_overflow(page) == 0, page.url


class TestAppointmentsInTheBrowser:
    def test_it_books_reschedules_and_checks_in(
        self,
        browser: Browser,
        live_server: LiveServer,
        world: World,
        clock: time_machine.Traveller,
    ) -> None:
        with fresh_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as page:
            # 1. the service, among those with an agenda
            page.goto(live_server.url + "/citas/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Reservar una cita")
            check(page)
            screenshot(page, "citas-1-servicio.png")
            page.get_by_role("link", name="Duplicado del DNI").click()

            # 2. the center
            expect(page.get_by_role("heading", name="Elige el Centro MAC")).to_be_visible()
            check(page)
            page.get_by_role("link", name="Centro MAC Lima Norte").click()

            # 3. the day (htmx swaps it) and the slot
            notice = page.locator("#aviso")
            expect(notice).to_have_text("Hay 25 horarios libres el martes 1 de diciembre de 2026.")
            page.get_by_label("Día", exact=True).fill("2026-12-02")
            page.get_by_role("button", name="Ver horarios").click()
            expect(notice).to_have_text(
                "Hay 30 horarios libres el miércoles 2 de diciembre de 2026."
            )
            expect(page).to_have_url(re.compile(r"dia=2026-12-02"))
            page.get_by_role("link", name="Día anterior").click()
            expect(notice).to_have_text("Hay 25 horarios libres el martes 1 de diciembre de 2026.")
            page.get_by_label("10:50").check()
            take = page.get_by_role("button", name="Reservar este horario")
            expect(take).to_be_enabled()  # pow.js found the number
            check(page)
            screenshot(page, "citas-2-horario.png")
            take.click()

            # 4. the hold: who the appointment is for
            expect(page.get_by_role("heading", level=1)).to_have_text("Completa tus datos")
            expect(page.get_by_text(re.compile(r"Quedan [0-9]:[0-9]{2}\."))).to_be_visible()
            page.get_by_label("Número de documento").fill("123")
            page.get_by_role("button", name="Confirmar la cita").click()
            expect(page.get_by_role("alert")).to_contain_text("El DNI tiene 8 dígitos.")
            check(page)
            screenshot(page, "citas-3-datos-error.png")
            page.get_by_label("Número de documento").fill(CITIZEN_DNI)
            page.get_by_label("Correo electrónico").fill("ana@example.pe")
            check(page)
            screenshot(page, "citas-3-datos.png")
            page.get_by_role("button", name="Confirmar la cita").click()

            # 5. the confirmation: code, QR, .ics
            expect(page.get_by_role("heading", level=1)).to_have_text("Tu cita está confirmada")
            code = page.locator("#codigo-cita").inner_text()
            expect(page.get_by_role("img", name=f"Código QR de la cita {code}")).to_be_visible()
            check(page)
            screenshot(page, "citas-4-confirmada.png")
            with page.expect_download() as download:
                page.get_by_role("link", name="Agregar a mi calendario (.ics)").click()
            assert download.value.suggested_filename == f"cita-{code}.ics"

        booking = Booking.objects.get(code=code)
        assert (booking.status, booking.channel, booking.document_number) == (
            "confirmed",
            "portal",
            CITIZEN_DNI,
        )
        assert booking.slot.start == lima(MORNING.date(), 10, 50)

        # 6. another browser manages it with the code and the document
        with fresh_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as page:
            page.goto(live_server.url + f"/citas/gestionar/?codigo={code}")
            expect(page.get_by_label("Código de la cita")).to_have_value(code)
            check(page)
            screenshot(page, "citas-5-gestionar.png")
            page.get_by_label("Número de documento").fill(CITIZEN_DNI)
            page.get_by_role("button", name="Ver mi cita").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(f"Tu cita {code}")
            check(page)
            page.get_by_label("10:10").check()
            page.get_by_role("button", name="Cambiar a este horario").click()
            expect(page.get_by_role("status")).to_contain_text(
                "Listo: tu cita ahora es el martes 1 de diciembre de 2026, 10:10."
            )
            check(page)
            screenshot(page, "citas-6-reprogramada.png")

        booking.refresh_from_db()
        assert (booking.slot.start, booking.sequence) == (lima(MORNING.date(), 10, 10), 1)

        # 7. at 10:00, the kiosk: "Tengo cita", the QR reader types code + Enter
        clock.move_to(lima(MORNING.date(), 10, 0))
        with fresh_page(browser, viewport=KIOSK_VIEWPORT) as page:
            as_kiosk(page, live_server, world)
            page.goto(live_server.url + "/centros/lima-norte/kiosko/")
            page.get_by_role("link", name="Tengo cita").click()
            expect(page.get_by_label("Código de la cita")).to_be_focused()
            assert_accessible(page)
            screenshot(page, "citas-7-kiosko-cita.png")
            page.keyboard.type(code.lower())
            page.keyboard.press("Enter")
            expect(page.get_by_label("Número de documento")).to_be_focused()
            page.keyboard.type(CITIZEN_DNI)
            page.get_by_role("button", name="Registrar mi llegada").click()
            expect(page.locator(".ticket__code")).to_have_text("R-001")
            expect(
                page.get_by_text("Registramos tu llegada a la cita de las 10:10.")
            ).to_be_visible()
            assert_accessible(page)
            screenshot(page, "citas-8-kiosko-ticket.png")

        booking.refresh_from_db()
        ticket = Ticket.objects.get()
        assert (booking.status, booking.ticket, ticket.source) == (
            "checked_in",
            ticket,
            "appointment",
        )
        assert len(printing.dummy_outputs) == 1

    def test_an_operator_books_for_a_caller(
        self, browser: Browser, live_server: LiveServer, world: World
    ) -> None:
        operator = demo_operator()
        with fresh_page(browser) as page:
            sign_in(page, live_server, operator, then="/citas/")

            # 1. the service: the pages say they are in operator mode
            banner = page.locator("#modo-operador")
            expect(banner).to_contain_text(
                "Modo operador de Aló MAC: la cita se registra por teléfono a nombre de quien "
                "llama."
            )
            expect(banner).to_contain_text("Sesión de Yolanda Condori Ticona.")
            check(page)
            screenshot(page, "citas-operador-1-servicio.png")
            page.get_by_role("link", name="Duplicado del DNI").click()
            page.get_by_role("link", name="Centro MAC Lima Norte").click()

            # 2. the day (htmx swaps it) and the slot, with no proof of work
            notice = page.locator("#aviso")
            expect(notice).to_have_text("Hay 25 horarios libres el martes 1 de diciembre de 2026.")
            page.get_by_role("link", name="Día siguiente").click()
            expect(notice).to_have_text(
                "Hay 30 horarios libres el miércoles 2 de diciembre de 2026."
            )
            expect(page).to_have_url(re.compile(r"dia=2026-12-02"))
            expect(banner).to_be_visible()
            page.get_by_label("09:10").check()
            take = page.get_by_role("button", name="Reservar este horario")
            expect(take).to_be_enabled()
            assert page.locator("[data-pow]").count() == 0
            check(page)
            take.click()

            # 3. the caller's document and contact
            expect(page.get_by_role("heading", level=1)).to_have_text("Completa tus datos")
            expect(banner).to_be_visible()
            page.get_by_label("Número de documento").fill(OTHER_DNI)
            page.get_by_label("Correo electrónico").fill("caller@example.pe")
            page.get_by_label("Celular").fill("987 654 321")
            check(page)
            screenshot(page, "citas-operador-2-datos.png")
            page.get_by_role("button", name="Confirmar la cita").click()

            # 4. the code, to read out to the caller, and the next call
            expect(page.get_by_role("heading", level=1)).to_have_text("Cita confirmada")
            code = page.locator("#codigo-cita").inner_text()
            expect(page.get_by_text("Código de la cita: léalo a quien llama")).to_be_visible()
            check(page)
            screenshot(page, "citas-operador-3-codigo.png")
            page.get_by_role("link", name="Registrar otra cita").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Reservar una cita")
            expect(banner).to_be_visible()

            # 5. the end of the shift: the PC is shared, the operator leaves
            page.get_by_role("button", name="Salir de la cuenta").click()
            expect(page.get_by_role("status")).to_have_text(
                "Se cerró la sesión. Ya puede dejar este equipo."
            )
            page.goto(live_server.url + "/citas/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Reservar una cita")
            assert page.locator("#modo-operador").count() == 0

        booking = Booking.objects.get(code=code)
        assert (booking.status, booking.channel, booking.operator, booking.document_number) == (
            "confirmed",
            "phone",
            operator,
            OTHER_DNI,
        )
        assert booking.slot.start == lima(dt.date(2026, 12, 2), 9, 10)

        # a citizen's browser, meanwhile, sees none of it
        with fresh_page(browser) as page:
            page.goto(live_server.url + "/citas/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Reservar una cita")
            assert page.locator("#modo-operador").count() == 0

    def test_it_shows_a_kiosk_refusal_large_and_accessible(
        self, browser: Browser, live_server: LiveServer, world: World
    ) -> None:
        with fresh_page(browser, viewport=KIOSK_VIEWPORT) as page:
            as_kiosk(page, live_server, world)
            page.goto(live_server.url + "/centros/lima-norte/kiosko/cita/")
            page.get_by_label("Código de la cita").fill("ZZZZZZZZ")
            page.get_by_label("Número de documento").fill(CITIZEN_DNI)
            page.get_by_role("button", name="Registrar mi llegada").click()
            expect(page.get_by_role("alert")).to_have_text(
                "No encontramos una cita con ese código y ese documento."
            )
            assert_accessible(page)
            screenshot(page, "citas-7-kiosko-error.png")
        assert not Ticket.objects.exists()

    def test_it_has_no_violations_on_the_other_pages(
        self,
        browser: Browser,
        live_server: LiveServer,
        world: World,
        clock: time_machine.Traveller,
    ) -> None:
        day = MORNING.date()
        slots = appointments.open_day(world.center, world.dni, day)
        taken = appointments.book(
            slots[0].pk, world.dni, document_type="dni", document_number=OTHER_DNI, email="b@x.pe"
        )
        appointments.join_waitlist(
            world.center,
            world.dni,
            day,
            document_type="dni",
            document_number=CITIZEN_DNI,
            email="ana@example.pe",
        )
        appointments.cancel(taken.code, document_type="dni", document_number=OTHER_DNI)
        offer = Booking.objects.get(channel="waitlist")
        lapsing = appointments.hold(slots[1].pk, world.dni)
        kept = appointments.book(
            slots[2].pk, world.dni, document_type="dni", document_number=DNI_3, email="c@x.pe"
        )
        with fresh_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as page:
            page.goto(
                live_server.url
                + f"/citas/lista-de-espera/?servicio={world.dni.pk}&centro=lima-norte&dia={day}"
            )
            check(page)
            screenshot(page, "citas-lista-de-espera.png")

            page.goto(live_server.url + f"/citas/reserva/{offer.token}/")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Se liberó un horario para ti"
            )
            check(page)
            screenshot(page, "citas-lista-de-espera-oferta.png")

            page.goto(live_server.url + f"/citas/gestionar/?codigo={kept.code}")
            page.get_by_label("Número de documento").fill(DNI_3)
            page.get_by_role("button", name="Ver mi cita").click()
            page.get_by_role("link", name="Anular mi cita").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "¿Seguro que quieres anular tu cita?"
            )
            check(page)

            page.get_by_role("button", name="Runasimi").click()
            expect(page.locator("html")).to_have_attribute("lang", "qu")
            page.goto(live_server.url + f"/citas/?servicio={world.dni.pk}&centro=lima-norte")
            check(page)

            clock.shift(dt.timedelta(minutes=8))
            page.goto(live_server.url + f"/citas/reserva/{lapsing.token}/")
            expect(page.locator("html")).to_have_attribute("lang", "qu")
            check(page)
            screenshot(page, "citas-reserva-vencida.png")
