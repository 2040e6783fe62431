"""On the kiosk in Quechua, the names of centers, entities and services are
Spanish data: each is marked lang="es" (WCAG 2.1 SC 3.1.2, language of
parts) so that a screen reader reads it with Spanish rules. A Spanish page
has no such mark."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world


def pages(client: Client, world: World) -> dict[str, str]:
    def get(name: str, **params: str | int) -> str:
        response = client.get(reverse(name, args=["lima-norte"]), params)
        assert response.status_code == 200
        return response.content.decode()

    return {
        "start": get("screens:kiosk"),
        "services": get("screens:kiosk_services", entidad=world.reniec.slug),
        "details": get("screens:kiosk_details", servicio=world.dni.pk),
    }


class TestKioskDataLanguage:
    def test_in_quechua_the_spanish_names_are_marked(self, world: World, frozen: None) -> None:
        # given
        client = kiosk_client(world.center)
        client.cookies["django_language"] = "qu"

        # when
        shown = pages(client, world)

        # then
        assert all('<html lang="qu">' in page for page in shown.values())
        header = '<p class="kiosk-header__center" lang="es">Centro MAC Lima Norte</p>'
        assert all(header in page for page in shown.values())
        entity = f'<span class="kiosk-tile__text" lang="es">{world.reniec.name}</span>'
        assert entity in shown["start"]
        option = f'<span class="kiosk-option__title" lang="es">{world.dni.plain_name}</span>'
        assert option in shown["services"]
        title = f'<h1 class="kiosk-title" lang="es">{world.dni.plain_name}</h1>'
        assert title in shown["details"]

    def test_in_spanish_nothing_is_marked(self, world: World, frozen: None) -> None:
        # given
        client = kiosk_client(world.center)

        # when
        shown = pages(client, world)

        # then
        assert all('<html lang="es">' in page for page in shown.values())
        assert all(
            '<p class="kiosk-header__center">Centro MAC Lima Norte</p>' in page
            for page in shown.values()
        )
        assert f'<span class="kiosk-tile__text">{world.reniec.name}</span>' in shown["start"]
        assert f'<h1 class="kiosk-title">{world.dni.plain_name}</h1>' in shown["details"]
        assert not any(
            ' lang="es">' in page.replace('<html lang="es">', "") for page in shown.values()
        )
