from __future__ import annotations

import pytest
from django.urls import reverse

from mac.core.testing import CITIZEN_DNI
from mac.queueing.models import Counter, Ticket, Visit
from mac.screens.forms import new_form_key
from mac.screens.models import KioskRequest
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world


class TestKioskDocuments:
    @pytest.mark.parametrize(
        ("label", "doc_type", "number", "message"),
        [
            ("dni too short", "dni", "1234", "El DNI tiene 8 dígitos."),
            ("dni letters", "dni", "ABCDEFGH", "El DNI tiene 8 dígitos."),
            ("ruc bad check", "ruc", "20100070971", "El RUC tiene 11 dígitos"),
            ("type without number", "dni", "", "Ingresa el número de documento."),
            ("passport symbols", "passport", "##12", "letras o números"),
        ],
    )
    def test_it_shows_an_error_and_creates_nothing(
        self, world: World, frozen: None, label: str, doc_type: str, number: str, message: str
    ) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        data = kiosk_post(
            world, client, new_form_key(), document_type=doc_type, document_number=number
        )
        response = client.post(url, data)
        assert response.status_code == 200
        body = response.content.decode()
        assert message in body
        assert 'aria-invalid="true"' in body
        assert Ticket.objects.count() == 0
        assert Visit.objects.count() == 0
        assert KioskRequest.objects.count() == 0

    def test_it_records_a_valid_dni(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        data = kiosk_post(
            world, client, new_form_key(), document_type="dni", document_number=CITIZEN_DNI
        )
        response = client.post(url, data)
        assert response.status_code == 200
        visit = Visit.objects.get()
        assert (visit.document_type, visit.document_number) == ("dni", CITIZEN_DNI)

    def test_it_takes_a_number_without_type_as_a_dni(self, world: World, frozen: None) -> None:
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        data = kiosk_post(world, client, new_form_key(), document_number=CITIZEN_DNI)
        client.post(url, data)
        assert Visit.objects.get().document_type == "dni"

    def test_it_records_priority_and_language(self, world: World, frozen: None) -> None:
        Counter.objects.filter(center=world.center).update(languages=["es", "qu"])
        client = kiosk_client(world.center)
        url = reverse("screens:kiosk_issue", args=["lima-norte"])
        data = kiosk_post(
            world, client, new_form_key(), priority_reason="older_adult", language="qu"
        )
        client.post(url, data)
        ticket = Ticket.objects.get()
        assert ticket.priority is True
        assert ticket.language == "qu"
        assert ticket.source == "kiosk"
        assert ticket.visit.priority_reason == "older_adult"
