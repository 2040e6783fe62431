"""Every booking page says when it is in operator mode, naming the operator,
and only then; no page of the mode may be kept by a cache and served to
someone else. The confirmation gives the operator the code to read out and
a way to start the next call."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    FIRST_FREE,
    Citas,
    contact_data,
    make_operator,
    signed_in,
    slot_at,
    take_data,
    text,
)

morning = pages.morning
citas = pages.citas
MODE = "Modo operador de Aló MAC: la cita se registra por teléfono a nombre de quien llama."
NAMED = "Sesión de Olga Mamani Quispe."
START_LINK = '<a href="/citas/">Registrar una cita por teléfono</a>'
PAGES = [
    "services",
    "centers",
    "day",
    "refused slot",
    "hold",
    "confirmed",
    "manage",
    "booking",
    "cancel",
    "waitlist",
]


def visit(client: Client, citas: Citas) -> dict[str, Any]:
    """Each page of the booking path, booking and managing one appointment."""
    slot = slot_at(citas, FIRST_FREE)
    day = {"servicio": str(citas.service.pk), "centro": "lima-norte", "dia": "2026-12-02"}
    seen = {
        "services": client.get(reverse("appointments:start")),
        "centers": client.get(reverse("appointments:start"), {"servicio": day["servicio"]}),
        "day": client.get(pages.day_url(citas)),
        "slots": client.get(
            reverse("appointments:slots"),
            day,
            headers={"HX-Request": "true"},
        ),
        "refused slot": client.post(
            reverse("appointments:take"), take_data(citas, slot, horario="")
        ),
    }
    taken = client.post(reverse("appointments:take"), take_data(citas, slot))
    seen["hold"] = client.get(taken["Location"])
    client.post(taken["Location"], contact_data())
    booking = Booking.objects.get()
    seen["confirmed"] = client.get(reverse("appointments:confirmed"))
    seen["manage"] = client.get(reverse("appointments:manage"))
    client.post(
        reverse("appointments:manage"),
        {"code": booking.code, "document_type": "dni", "document_number": booking.document_number},
    )
    seen["booking"] = client.get(reverse("appointments:manage_booking"))
    seen["cancel"] = client.get(reverse("appointments:cancel"))
    seen["waitlist"] = client.get(reverse("appointments:waitlist"), day)
    return seen


def assert_private(response: Any) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache", "max-age=0", "must-revalidate"} <= directives
    assert "Cookie" in response["Vary"]


class TestOperatorBanner:
    @pytest.fixture
    def operator_pages(self, citas: Citas) -> dict[str, Any]:
        return visit(signed_in(make_operator()), citas)

    @pytest.mark.parametrize("name", PAGES)
    def test_each_page_names_the_mode_and_the_operator(
        self, operator_pages: dict[str, Any], name: str
    ) -> None:
        response = operator_pages[name]

        assert MODE in text(response)
        assert NAMED in text(response)
        assert START_LINK in response.content.decode()
        assert_private(response)

    def test_the_day_swapped_in_is_private_too(self, operator_pages: dict[str, Any]) -> None:
        response = operator_pages["slots"]

        assert response.status_code == 200
        assert "data-pow" not in response.content.decode()
        assert_private(response)

    @pytest.mark.parametrize("who", ["anonymous", "advisor"])
    def test_a_citizen_never_sees_it(self, citas: Citas, who: str) -> None:
        client = Client() if who == "anonymous" else signed_in(citas.personas.bob)

        seen = visit(client, citas)

        for name in PAGES:
            body = seen[name].content.decode()
            assert "Modo operador" not in body, name
            assert "Registrar una cita por teléfono" not in body, name
            assert "Registrar otra cita" not in body, name
            assert_private(seen[name])

    def test_the_confirmation_gives_the_code_to_read_out(
        self, operator_pages: dict[str, Any]
    ) -> None:
        response = operator_pages["confirmed"]
        booking = Booking.objects.get()

        body = response.content.decode()
        assert (
            f'<p class="booking-code booking-code--read-out" id="codigo-cita">{booking.code}</p>'
            in body
        )
        page = text(response)
        assert "Cita confirmada Código de la cita: léalo a quien llama, letra por letra." in page
        assert "La confirmación se envió a quien llama al correo a***@example.pe." in page
        assert '<a class="button" href="/citas/" id="otra-cita">Registrar otra cita</a>' in body
        # Nothing the caller could use on the operator's screen: no QR, no .ics.
        assert "Código QR" not in page
        assert reverse("appointments:ics") not in body

    def test_the_citizens_confirmation_is_unchanged(self, citas: Citas) -> None:
        client = Client()
        pages.book_via_pages(client, citas, slot_at(citas, FIRST_FREE))

        page = text(client.get(reverse("appointments:confirmed")))

        assert "Tu cita está confirmada Código de la cita" in page
        assert "Te enviamos la confirmación al correo a***@example.pe." in page
        assert (
            "Código QR de la cita" in client.get(reverse("appointments:confirmed")).content.decode()
        )

    def test_it_speaks_quechua_on_a_quechua_page(self, citas: Citas, settings: Any) -> None:
        client = signed_in(make_operator())
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "qu"

        page = text(client.get(reverse("appointments:start")))

        assert (
            "Aló MAC operadorpa modon: citaqa telefonopim qillqakun, waqyamuq runaq sutinpi."
            in page
        )
        assert "Sesiónpi: Olga Mamani Quispe. Telefonopi huk citata qillqay" in page
