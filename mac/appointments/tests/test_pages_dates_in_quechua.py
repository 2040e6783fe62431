"""A Quechua page names its days in Quechua: the day picker, a closed day's
reason and the waitlist. Django has no Quechua locale, so its date format
would give the Spanish "martes 1 de diciembre de 2026" inside a Quechua
sentence."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from mac.appointments.tests import pages
from mac.appointments.tests.pages import HOLIDAY, Citas, day_url, region, text

morning = pages.morning
citas = pages.citas


@pytest.fixture
def quechua(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "qu", "next": "/citas/"})
    return client


class TestPagesDatesInQuechua:
    def test_it_names_the_day_of_the_free_slots_in_quechua(
        self, quechua: Client, citas: Citas
    ) -> None:
        response = quechua.get(day_url(citas))

        assert (
            unescape(region(response, "aviso"))
            == "Atichaw 1 Qhapaq raymi killa 2026-pi 25 ch'usaq hora kan."
        )
        assert "Atichaw 1 Qhapaq raymi killa 2026-pi ch'usaq horakuna" in unescape(text(response))
        assert "diciembre" not in text(response)

    def test_it_names_a_closed_day_in_quechua(self, quechua: Client, citas: Citas) -> None:
        response = quechua.get(day_url(citas, HOLIDAY))

        assert unescape(region(response, "aviso")) == (
            "Atichaw 8 Qhapaq raymi killa 2026-qa raymi p'unchawmi (Inmaculada Concepción): "
            "centroqa manam atiendenchu."
        )

    def test_it_names_the_waitlist_day_in_quechua(self, quechua: Client, citas: Citas) -> None:
        response = quechua.get(
            reverse("appointments:waitlist"),
            {"servicio": str(citas.service.pk), "centro": "lima-norte", "dia": "2026-12-02"},
        )

        assert response.status_code == 200
        assert (
            "«Duplicado del DNI» trámitepaq, Centro MAC Lima Norte-pi, "
            "Quyllurchaw 2 Qhapaq raymi killa 2026-pi." in text(response)
        )
        assert "miércoles" not in text(response)

    def test_it_keeps_the_spanish_names_on_a_spanish_page(
        self, client: Client, citas: Citas
    ) -> None:
        response = client.get(day_url(citas))

        assert (
            unescape(region(response, "aviso"))
            == "Hay 25 horarios libres el martes 1 de diciembre de 2026."
        )
