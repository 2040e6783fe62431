"""The language switch brings the citizen back to the same step of the
booking: the service, center and day chosen (or the waitlist form) stay, in
the other language. It used to send them to the path alone: /citas/ (the
first step again), /citas/lista-de-espera/ (404), or the URL of a refused
POST (/citas/reservar/, 405)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking, WaitlistEntry
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    FIRST_FREE,
    Citas,
    book_directly,
    day_url,
    manage_client,
    region,
    slot_at,
)

morning = pages.morning
citas = pages.citas

NEXT = re.compile(r'<input type="hidden" name="next"(?: id="idioma-volver")? value="([^"]*)"')


def switch_next(response: Any) -> str:
    """Where the page's language switch goes back to."""
    found = NEXT.findall(response.content.decode())
    assert len(found) == 1, found
    return unescape(found[0])


def to_quechua(client: Client, response: Any) -> Any:
    switched = client.post(
        reverse("set_language"), {"language": "qu", "next": switch_next(response)}
    )
    assert switched.status_code == 302
    return client.get(switched["Location"])


def waitlist_url(citas: Citas, day: str = "2026-12-02") -> str:
    return (
        reverse("appointments:waitlist")
        + f"?servicio={citas.service.pk}&centro=lima-norte&dia={day}"
    )


class TestPagesLanguageSwitch:
    def test_it_keeps_the_service_center_and_day(self, client: Client, citas: Citas) -> None:
        url = day_url(citas, DAY.replace(day=2))

        page = to_quechua(client, client.get(url))

        assert switch_next(page) == url
        assert page.status_code == 200
        assert '<html lang="qu">' in page.content.decode()
        assert unescape(region(page, "aviso")) == (
            "Quyllurchaw 2 Qhapaq raymi killa 2026-pi 30 ch'usaq hora kan."
        )

    def test_it_keeps_the_day_chosen_in_place_with_htmx(self, client: Client, citas: Citas) -> None:
        response = client.get(
            reverse("appointments:slots"),
            {"servicio": str(citas.service.pk), "centro": "lima-norte", "dia": "2026-12-02"},
            headers={"HX-Request": "true"},
        )

        assert (
            '<input type="hidden" name="next" id="idioma-volver" '
            f'value="/citas/?servicio={citas.service.pk}&amp;centro=lima-norte&amp;dia=2026-12-02" '
            'hx-swap-oob="true">' in response.content.decode()
        )

    def test_it_keeps_the_waitlist_form(self, client: Client, citas: Citas) -> None:
        page = to_quechua(client, client.get(waitlist_url(citas)))

        assert page.status_code == 200
        assert "«Duplicado del DNI» trámitepaq" in unescape(page.content.decode())

    def test_it_keeps_the_waitlist_form_after_a_refused_join(
        self, client: Client, citas: Citas
    ) -> None:
        refused = client.post(
            reverse("appointments:waitlist"),
            {"servicio": str(citas.service.pk), "centro": "lima-norte", "dia": "2026-12-02"},
        )

        assert refused.status_code == 422
        assert switch_next(refused) == waitlist_url(citas)
        assert not WaitlistEntry.objects.exists()

    def test_it_goes_to_the_day_after_a_refused_slot(self, client: Client, citas: Citas) -> None:
        refused = client.post(
            reverse("appointments:take"),
            {"servicio": str(citas.service.pk), "centro": "lima-norte", "dia": "2026-12-01"},
        )

        assert refused.status_code == 422
        assert switch_next(refused) == day_url(citas)
        assert to_quechua(client, refused).status_code == 200
        assert not Booking.objects.exists()

    def test_it_goes_to_the_booking_after_a_refused_change(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE))
        client = manage_client(booking)

        refused = client.post(reverse("appointments:reschedule"), {"horario": "x"})

        assert refused.status_code == 422
        assert switch_next(refused) == reverse("appointments:manage_booking") + "?dia=2026-12-01"
        assert to_quechua(client, refused).status_code == 200
        booking.refresh_from_db()
        assert (booking.slot_id, booking.sequence) == (slot_at(citas, FIRST_FREE).pk, 0)
