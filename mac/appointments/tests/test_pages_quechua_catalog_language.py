"""On a Quechua booking page, the catalog's Spanish text (service and entity
names, centers' addresses) says that it is Spanish (WCAG 2.1 SC 3.1.2,
language of parts), as on the portal's pages: a screen reader then reads it
with Spanish rules, not Quechua ones. A Spanish page does not repeat it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mac.appointments.tests import pages
from mac.appointments.tests.pages import FIRST_FREE, Citas, day_url, hold_via_page, slot_at

morning = pages.morning
citas = pages.citas


@pytest.fixture
def quechua(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "qu", "next": "/citas/"})
    return client


def pages_of(client: Client, citas: Citas) -> dict[str, str]:
    start = reverse("appointments:start")
    held = hold_via_page(client, citas, slot_at(citas, FIRST_FREE))
    urls = {
        "services": start,
        "centers": f"{start}?servicio={citas.service.pk}",
        "day": day_url(citas),
        "hold": reverse("appointments:hold", args=[held.token]),
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


class TestPagesQuechuaCatalogLanguage:
    def test_it_marks_the_spanish_catalog_text(self, quechua: Client, citas: Citas) -> None:
        html = pages_of(quechua, citas)

        assert (
            '<h3 class="heading-m" lang="es">Registro Nacional de Identificaci' in html["services"]
        )
        assert '<ul class="link-list" lang="es">' in html["services"]
        assert '<h1 class="heading-xl" lang="es">Duplicado del DNI</h1>' in html["centers"]
        assert '<p class="center-card__address" lang="es">' in html["centers"]
        assert '<p class="caption" lang="es">Registro Nacional de Identificaci' in html["day"]
        assert '<h1 class="heading-xl" lang="es">Duplicado del DNI</h1>' in html["day"]
        assert '<dd lang="es">Duplicado del DNI <span class="muted">(RENIEC)</span>' in html["hold"]

    def test_it_does_not_mark_it_on_a_spanish_page(self, client: Client, citas: Citas) -> None:
        html = pages_of(client, citas)

        assert '<h1 class="heading-xl">Duplicado del DNI</h1>' in html["day"]
        assert '<dd>Duplicado del DNI <span class="muted">(RENIEC)</span>' in html["hold"]
        for name in ("services", "centers", "day"):
            assert html[name].count('lang="es"') == 2, name  # <html> and the switch
