"""The survey invitation speaks the language its link opens in: the
attention's (the visit's, as the survey page and the status page), not the
language the citizen chose for the booking's notices when they booked. A
citizen who booked in Spanish and chose Quechua at the kiosk, and was served
in Quechua, gets the SMS in Quechua and opens the survey in Quechua."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from mac.appointments import actions as appointments
from mac.appointments.testing import agenda
from mac.core.testing import CITIZEN_DNI
from mac.notify import sms
from mac.notify.testing import run_tasks
from mac.queueing import actions as queue
from mac.queueing.models import Attention
from mac.queueing.testing import OPEN
from mac.surveys import actions
from mac.surveys.models import Invitation
from mac.surveys.testing import World

pytestmark = pytest.mark.django_db


def served(world: World, capture: Any, *, booked_in: str, checked_in_in: str = "") -> Attention:
    """A citizen who booked 10:10 with a phone and an email, notices in
    `booked_in`, checked in at 10:00 (choosing `checked_in_in` at the kiosk)
    and was served by Bob, who speaks Quechua and Aymara too, until 10:26."""
    world.reniec_counter.languages = ["es", "qu", "ay"]
    world.reniec_counter.save(update_fields=["languages"])
    slot = next(
        s
        for s in appointments.open_day(world.personas.lima_norte, world.dni, OPEN.date())
        if s.start == OPEN + dt.timedelta(minutes=10)
    )
    with capture(execute=True):
        booking = appointments.book(
            slot.pk,
            world.dni,
            document_type="dni",
            document_number=CITIZEN_DNI,
            phone="987654321",
            email="ana@example.pe",
            language=booked_in,
        )
    run_tasks()
    sms.outbox.clear()  # the booking's confirmation
    mail.outbox.clear()
    appointments.check_in(
        booking.code,
        document_type="dni",
        document_number=CITIZEN_DNI,
        language=checked_in_in,
        now=OPEN,
    )
    called = queue.call_next(world.reniec_counter, by=world.bob, now=OPEN.replace(minute=15))
    assert called is not None
    queue.start(called, by=world.bob, now=OPEN.replace(minute=16))
    return queue.finish(called, by=world.bob, now=OPEN.replace(minute=26))


def invited(
    world: World, clock: time_machine.Traveller, capture: Any, **languages: str
) -> Invitation:
    """The attention's invitation, offered at its end and sent an hour later."""
    clock.move_to(OPEN.replace(hour=8, minute=0))
    agenda(world.personas.lima_norte, world.dni)
    attention = served(world, capture, **languages)
    with capture(execute=True):
        invitation = actions.offer(attention, now=attention.ended_at)
    clock.move_to(attention.ended_at + dt.timedelta(hours=1))
    with capture(execute=True):
        run_tasks()
    run_tasks()
    return invitation


@pytest.fixture(autouse=True)
def _no_pow(settings: Any) -> None:
    settings.APPOINTMENTS = {"POW_REQUIRED": False}


class TestInvitationLanguage:
    def test_it_invites_in_quechua_a_citizen_served_in_quechua_who_booked_in_spanish(
        self,
        world: World,
        client: Client,
        clock: time_machine.Traveller,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given: notices in Spanish, Quechua chosen at the kiosk
        invitation = invited(
            world, clock, django_capture_on_commit_callbacks, booked_in="es", checked_in_in="qu"
        )

        # when: the citizen opens the link the SMS gives
        page = client.get(f"/encuestas/{invitation.token}/")

        # then: the SMS, the email and the page all speak Quechua
        url = f"http://127.0.0.1:8000/encuestas/{invitation.token}/"
        assert invitation.attention.language == "qu"
        assert [(m.to, m.message) for m in sms.outbox] == [
            (
                "+51987654321",
                "¿Imaynatam Centro MAC Lima Norte-pi atienderqaykiku? "
                f"Encuesta 8 Qhapaq raymi killa-kama: {url}",
            )
        ]
        assert [(m.to, m.subject) for m in mail.outbox] == [
            (["ana@example.pe"], "¿Imaynatam Centro MAC Lima Norte-pi atienderqaykiku?")
        ]
        assert f"2 minutolla encuestata kutichiy: {url}" in mail.outbox[0].body
        assert page.status_code == 200 and page["Content-Language"] == "qu"
        assert "¿Imaynatam atienderqaykiku?" in page.content.decode()

    def test_it_invites_in_spanish_a_citizen_who_booked_and_was_served_in_spanish(
        self,
        world: World,
        client: Client,
        clock: time_machine.Traveller,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        invitation = invited(world, clock, django_capture_on_commit_callbacks, booked_in="es")

        page = client.get(f"/encuestas/{invitation.token}/")

        url = f"http://127.0.0.1:8000/encuestas/{invitation.token}/"
        assert invitation.attention.language == "es"
        assert [(m.to, m.message) for m in sms.outbox] == [
            (
                "+51987654321",
                "¿Cómo te atendimos en el Centro MAC Lima Norte? "
                f"Encuesta hasta el 8 de diciembre: {url}",
            )
        ]
        assert [m.subject for m in mail.outbox] == [
            "¿Cómo te atendimos en el Centro MAC Lima Norte?"
        ]
        assert page["Content-Language"] == "es"
        assert "¿Cómo te atendimos?" in page.content.decode()

    def test_it_invites_in_spanish_a_citizen_who_booked_in_quechua_and_was_served_in_spanish(
        self,
        world: World,
        client: Client,
        clock: time_machine.Traveller,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given: notices in Quechua, Spanish chosen at the kiosk
        invitation = invited(
            world, clock, django_capture_on_commit_callbacks, booked_in="qu", checked_in_in="es"
        )

        page = client.get(f"/encuestas/{invitation.token}/")

        url = f"http://127.0.0.1:8000/encuestas/{invitation.token}/"
        assert invitation.attention.language == "es"
        assert [m.message for m in sms.outbox] == [
            "¿Cómo te atendimos en el Centro MAC Lima Norte? "
            f"Encuesta hasta el 8 de diciembre: {url}"
        ]
        assert page["Content-Language"] == "es"

    def test_it_keeps_the_notices_language_for_an_attention_in_a_language_the_site_lacks(
        self,
        world: World,
        clock: time_machine.Traveller,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given: notices in Quechua, served in Aymara (no Aymara texts yet)
        invitation = invited(
            world, clock, django_capture_on_commit_callbacks, booked_in="qu", checked_in_in="ay"
        )

        url = f"http://127.0.0.1:8000/encuestas/{invitation.token}/"
        assert invitation.attention.language == "ay"
        assert [m.message for m in sms.outbox] == [
            "¿Imaynatam Centro MAC Lima Norte-pi atienderqaykiku? "
            f"Encuesta 8 Qhapaq raymi killa-kama: {url}"
        ]
