"""Offering the survey after an attention: one invitation (one token) per
attention, expiring after TOKEN_DAYS; offered when the advisor finishes at
the desk; linked from the citizen's status page; sent by SMS or email some
minutes later when the visit left a contact, unless answered first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from mac.appointments import actions as appointments
from mac.appointments.testing import agenda
from mac.core.models import AuditLog
from mac.core.testing import CITIZEN_DNI
from mac.notify import sms
from mac.notify.testing import run_tasks
from mac.queueing import actions as queue
from mac.queueing.models import Attention, Ticket
from mac.queueing.testing import OPEN
from mac.surveys import actions
from mac.surveys.models import Invitation
from mac.surveys.testing import GOOD, World, attend

pytestmark = pytest.mark.django_db


def booked_attention(world: World, capture: Any) -> Attention:
    """A citizen who booked 10:10 with a phone, checked in at 10:00 and was served."""
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
            language="es",
        )
    run_tasks()
    sms.outbox.clear()  # the booking's confirmation
    appointments.check_in(
        booking.code,
        document_type="dni",
        document_number=CITIZEN_DNI,
        now=OPEN,
    )
    called = queue.call_next(world.reniec_counter, by=world.bob, now=OPEN.replace(minute=15))
    assert called is not None
    queue.start(called, by=world.bob, now=OPEN.replace(minute=16))
    return queue.finish(called, by=world.bob, now=OPEN.replace(minute=26))


class TestOffer:
    def test_it_makes_one_invitation_per_attention(self, world: World) -> None:
        attention = attend(world.reniec_counter, world.bob, world.dni)

        first = actions.offer(attention)
        again = actions.offer(attention)

        assert again.pk == first.pk and again.token == first.token
        assert len(first.token) == 32
        assert Invitation.objects.count() == 1
        # ended 1 December 10:12 in Lima: valid through 8 December, all day
        assert first.expires_at == dt.datetime(2026, 12, 8, 23, 59, 59, 999999, tzinfo=OPEN.tzinfo)
        assert AuditLog.objects.filter(action="surveys.offered").count() == 1

    def test_it_is_offered_when_the_advisor_finishes_at_the_desk(
        self, world: World, client: Client
    ) -> None:
        # given: Bob serving a ticket
        queue.issue_ticket(world.personas.lima_norte, world.dni, now=OPEN)
        ticket = queue.call_next(world.reniec_counter, by=world.bob, now=OPEN)
        assert ticket is not None
        queue.start(ticket, by=world.bob, now=OPEN)
        client.force_login(world.bob)

        # when
        response = client.post(
            "/centros/lima-norte/modulo/finalizar/",
            {"ticket": ticket.pk, "outcome": "resolved"},
            headers={"HX-Request": "true"},
        )

        # then
        assert response.status_code == 200
        invitation = Invitation.objects.get()
        assert invitation.attention.ticket_id == ticket.pk

    def test_it_links_the_survey_from_the_status_page(self, world: World, client: Client) -> None:
        attention = attend(world.reniec_counter, world.bob, world.dni)
        token = Ticket.objects.get().visit.token
        before = client.get(f"/turno/{token}/").content.decode()

        invitation = actions.offer(attention)
        after = client.get(f"/turno/{token}/").content.decode()
        actions.answer(invitation.token, GOOD)
        answered = client.get(f"/turno/{token}/").content.decode()

        link = f'href="/encuestas/{invitation.token}/"'
        assert (link in before, link in after, link in answered) == (False, True, False)

    def test_it_texts_the_invitation_after_the_delay(
        self,
        world: World,
        clock: time_machine.Traveller,
        settings: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given
        settings.APPOINTMENTS = {"POW_REQUIRED": False}
        clock.move_to(OPEN.replace(hour=8, minute=0))
        agenda(world.personas.lima_norte, world.dni)
        attention = booked_attention(world, django_capture_on_commit_callbacks)

        # when: offered at the end; 29 minutes later nothing, at 30 the SMS
        with django_capture_on_commit_callbacks(execute=True):
            invitation = actions.offer(attention, now=attention.ended_at)
        clock.move_to(attention.ended_at + dt.timedelta(minutes=29))
        run_tasks()
        early = list(sms.outbox)
        clock.move_to(attention.ended_at + dt.timedelta(minutes=30))
        with django_capture_on_commit_callbacks(execute=True):
            run_tasks()
        run_tasks()

        # then
        assert early == []
        assert [m.to for m in sms.outbox] == ["+51987654321"]
        text = sms.outbox[0].message
        assert f"http://127.0.0.1:8000/encuestas/{invitation.token}/" in text
        assert "hasta el 8 de diciembre" in text
        invitation.refresh_from_db()
        assert invitation.notified_at == attention.ended_at + dt.timedelta(minutes=30)

    def test_it_sends_nothing_to_a_citizen_who_already_answered(
        self,
        world: World,
        clock: time_machine.Traveller,
        settings: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        settings.APPOINTMENTS = {"POW_REQUIRED": False}
        clock.move_to(OPEN.replace(hour=8, minute=0))
        agenda(world.personas.lima_norte, world.dni)
        attention = booked_attention(world, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            invitation = actions.offer(attention, now=attention.ended_at)
        actions.answer(invitation.token, GOOD, now=attention.ended_at + dt.timedelta(minutes=2))

        clock.move_to(attention.ended_at + dt.timedelta(hours=1))
        with django_capture_on_commit_callbacks(execute=True):
            run_tasks()
        run_tasks()

        assert sms.outbox == []
        invitation.refresh_from_db()
        assert invitation.notified_at is None

    def test_it_schedules_nothing_without_a_contact(
        self, world: World, django_capture_on_commit_callbacks: Any
    ) -> None:
        from mac.notify.testing import scheduled_tasks

        attention = attend(world.reniec_counter, world.bob, world.dni)

        with django_capture_on_commit_callbacks(execute=True):
            actions.offer(attention)

        assert not scheduled_tasks().filter(task_path__contains="surveys").exists()
