"""The advisor serving a ticket sees the document the citizen gave at the
kiosk or the desk, and each time the desk shows it, the access is logged
(Ley 29733: who, when, why)."""

from __future__ import annotations

import pytest
from django.test import Client

from mac.core.testing import CITIZEN_DNI
from mac.quality.models import PersonalDataAccess
from mac.queueing import actions

from .test_live_state_stream import Screen, make_screen

URL = "/centros/lima-norte/modulo/"


@pytest.fixture
def screen(db: None) -> Screen:
    return make_screen()


class TestAdvisorDocument:
    def test_it_shows_the_document_to_the_advisor_serving_the_ticket_and_logs_it(
        self, client: Client, screen: Screen
    ) -> None:
        # given
        counter = screen.sign_in_bob()
        ticket = screen.issue(document_type="dni", document_number=CITIZEN_DNI)
        actions.call_next(counter, by=screen.bob)
        client.force_login(screen.bob)

        # when
        body = client.get(URL).content.decode()

        # then
        assert f'id="documento">Documento: DNI {CITIZEN_DNI}</p>' in body
        rows = list(
            PersonalDataAccess.objects.values_list(
                "user", "username", "purpose", "object_type", "object_id", "label"
            )
        )
        assert rows == [
            (screen.bob.pk, "bob", "detail", "queueing.visit", str(ticket.visit_id), ticket.code)
        ]

    def test_it_logs_each_time_the_desk_shows_it(self, client: Client, screen: Screen) -> None:
        counter = screen.sign_in_bob()
        screen.issue(document_type="dni", document_number=CITIZEN_DNI)
        actions.call_next(counter, by=screen.bob)
        client.force_login(screen.bob)
        client.get(URL)

        started = client.post(f"{URL}iniciar/", HTTP_HX_REQUEST="true")

        assert CITIZEN_DNI in started.content.decode()
        assert PersonalDataAccess.objects.count() == 2

    def test_it_shows_and_logs_nothing_without_a_document(
        self, client: Client, screen: Screen
    ) -> None:
        counter = screen.sign_in_bob()
        screen.issue()
        actions.call_next(counter, by=screen.bob)
        client.force_login(screen.bob)

        body = client.get(URL).content.decode()

        assert 'id="documento"' not in body
        assert PersonalDataAccess.objects.count() == 0

    def test_it_shows_and_logs_nothing_while_nobody_is_served(
        self, client: Client, screen: Screen
    ) -> None:
        screen.sign_in_bob()
        screen.issue(document_type="dni", document_number=CITIZEN_DNI)  # waiting, not called
        client.force_login(screen.bob)

        body = client.get(URL).content.decode()

        assert CITIZEN_DNI not in body
        assert PersonalDataAccess.objects.count() == 0
