"""The kiosk's language switch returns to a page that a GET can load: after a
page rendered by a POST (a refused form, the ticket), the form again or the
start, in the language chosen; never the POST-only URL (a bare 405 that no
idle timer leaves)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from mac.queueing.models import Ticket
from mac.screens.forms import CHECKIN_KEY_SALT, new_form_key
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
_no_pow = checkin._no_pow


def switch_to_quechua(client: Client, page: str) -> tuple[str, Any]:
    """Tap "Runasimi" on `page`: the `next` it carries, and the page it leads to."""
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)">', page)
    assert found is not None
    switched = client.post("/i18n/setlang/", {"language": "qu", "next": found[1]}, follow=True)
    return found[1], switched


class TestKioskLanguageSwitch:
    def test_it_returns_to_the_details_form_after_a_mistyped_document(
        self, world: World, frozen: None
    ) -> None:
        # given
        client = kiosk_client(world.center)
        issue = reverse("screens:kiosk_issue", args=["lima-norte"])
        data = kiosk_post(world, client, new_form_key(), document_type="dni", document_number="1")
        refused = client.post(issue, data)

        # when
        next_url, switched = switch_to_quechua(client, refused.content.decode())

        # then
        assert next_url == f"/centros/lima-norte/kiosko/datos/?servicio={world.dni.pk}"
        assert switched.status_code == 200
        assert switched.redirect_chain == [(next_url, 302)]
        assert '<html lang="qu">' in switched.content.decode()
        assert Ticket.objects.count() == 0

    def test_it_returns_to_the_start_from_the_ticket_page(self, world: World, frozen: None) -> None:
        # given
        client = kiosk_client(world.center)
        issue = reverse("screens:kiosk_issue", args=["lima-norte"])
        ticket_page = client.post(issue, kiosk_post(world, client, new_form_key()))

        # when
        next_url, switched = switch_to_quechua(client, ticket_page.content.decode())

        # then
        assert next_url == "/centros/lima-norte/kiosko/"
        assert switched.status_code == 200
        assert '<html lang="qu">' in switched.content.decode()
        assert Ticket.objects.count() == 1

    def test_it_returns_to_the_checkin_form_after_a_refused_checkin(
        self, world: World, frozen: None
    ) -> None:
        # given
        client = kiosk_client(world.center)
        data = {"key": new_form_key(CHECKIN_KEY_SALT), "code": "", "document_type": "dni"}
        refused = checkin.post(client, data)
        assert refused.status_code == 422

        # when
        next_url, switched = switch_to_quechua(client, refused.content.decode())

        # then
        assert next_url == "/centros/lima-norte/kiosko/cita/"
        assert switched.status_code == 200
        assert '<html lang="qu">' in switched.content.decode()
        assert Ticket.objects.count() == 0

    def test_it_keeps_a_page_loaded_by_get(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        services = client.get(
            reverse("screens:kiosk_services", args=["lima-norte"]), {"entidad": "sunat"}
        )

        next_url, switched = switch_to_quechua(client, services.content.decode())

        assert next_url == "/centros/lima-norte/kiosko/servicios/?entidad=sunat"
        assert switched.status_code == 200
