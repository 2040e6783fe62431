"""The counter's tablet and the SMS/email invitation ask about the same
attentions, and a citizen is asked once: one who answered or skipped the
survey at the tablet gets no message afterwards (the link on their status
page stays valid). An attention finished as "derivado" (the citizen sent on
to another office) is surveyed on both; one transferred to another service of
the center is surveyed on neither: the survey comes when the attention of
the service it was passed on to ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from mac.appointments.testing import agenda
from mac.notify import sms
from mac.notify.testing import run_tasks, scheduled_tasks
from mac.queueing import actions as queue
from mac.queueing.models import Attention, Ticket
from mac.queueing.testing import OPEN, make_counter, queue_service
from mac.surveys import actions
from mac.surveys.models import Invitation, Response
from mac.surveys.testing import GOOD, World

from .test_offer import booked_attention
from .test_tablet import as_device, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(
    world: World,
    clock: time_machine.Traveller,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> Invitation:
    """A citizen who booked with a phone, was served until 10:26 and offered
    the survey then (its SMS due at 10:56); the clock at 10:27."""
    settings.APPOINTMENTS = {"POW_REQUIRED": False}
    clock.move_to(OPEN.replace(hour=8, minute=0))
    agenda(world.personas.lima_norte, world.dni)
    attention = booked_attention(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actions.offer(attention, now=attention.ended_at)
    clock.move_to(attention.ended_at + dt.timedelta(minutes=1))
    return invitation


def run_invitations(
    invitation: Invitation, clock: time_machine.Traveller, capture: Any
) -> Invitation:
    """An hour after the attention: the invitation's task and the message's."""
    clock.move_to(invitation.attention.ended_at + dt.timedelta(hours=1))
    with capture(execute=True):
        run_tasks()
    run_tasks()
    invitation.refresh_from_db()
    return invitation


class TestAskedOnce:
    def test_a_citizen_who_skipped_at_the_tablet_gets_no_message(
        self,
        world: World,
        client: Client,
        booked: Invitation,
        clock: time_machine.Traveller,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given: the citizen skips the survey at the tablet
        tablet = as_device(client, world)
        skipped = tablet.post(url(world, "omitir/"), {"attention": booked.attention_id})

        # when: the invitation's time comes
        invitation = run_invitations(booked, clock, django_capture_on_commit_callbacks)

        # then: no SMS; the link still takes an answer
        assert skipped.status_code == 302
        assert invitation.tablet_dismissed_at == booked.attention.ended_at + dt.timedelta(minutes=1)
        assert sms.outbox == []
        assert invitation.notified_at is None
        assert actions.send_invitation(invitation.pk) is False
        actions.answer(invitation.token, GOOD)
        assert Response.objects.get().channel == "link"

    def test_a_citizen_who_answered_at_the_tablet_gets_no_message(
        self,
        world: World,
        client: Client,
        booked: Invitation,
        clock: time_machine.Traveller,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given
        tablet = as_device(client, world)
        posted = tablet.post(url(world), {**GOOD, "attention": booked.attention_id})

        # when
        invitation = run_invitations(booked, clock, django_capture_on_commit_callbacks)

        # then
        assert posted.status_code == 302
        assert Response.objects.get().channel == "tablet"
        assert sms.outbox == []
        assert invitation.notified_at is None

    def test_a_citizen_who_did_neither_gets_the_message(
        self,
        booked: Invitation,
        clock: time_machine.Traveller,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        invitation = run_invitations(booked, clock, django_capture_on_commit_callbacks)

        assert [m.to for m in sms.outbox] == ["+51987654321"]
        assert invitation.notified_at == booked.attention.ended_at + dt.timedelta(hours=1)


@pytest.fixture
def tablet_client(world: World, client: Client) -> Client:
    return as_device(client, world)


def shown(client: Client, world: World) -> str:
    return client.get(url(world)).content.decode()


class TestReferred:
    def test_an_attention_finished_as_referred_is_surveyed_at_the_tablet_and_by_link(
        self,
        world: World,
        client: Client,
        clock: time_machine.Traveller,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given: Bob finishes an attention as "derivado" at the desk
        queue.issue_ticket(world.personas.lima_norte, world.dni, now=OPEN)
        ticket = queue.call_next(world.reniec_counter, by=world.bob, now=OPEN)
        assert ticket is not None
        queue.start(ticket, by=world.bob, now=OPEN)
        client.force_login(world.bob)
        with django_capture_on_commit_callbacks(execute=True):
            finished = client.post(
                "/centros/lima-norte/modulo/finalizar/",
                {"ticket": ticket.pk, "outcome": "referred"},
                headers={"HX-Request": "true"},
            )
        client.logout()
        clock.move_to(OPEN + dt.timedelta(minutes=1))

        # when
        tablet = as_device(client, world)
        page = shown(tablet, world)
        posted = tablet.post(url(world), {**GOOD, "attention": ticket.attention.pk})

        # then
        attention = Attention.objects.get()
        assert finished.status_code == 200
        assert attention.outcome == "referred"
        assert Invitation.objects.get().attention == attention
        assert f'name="attention" value="{attention.pk}"' in page and 'name="overall"' in page
        assert posted.status_code == 302
        response = Response.objects.get()
        assert (response.attention, response.channel) == (attention, "tablet")

    def test_an_attention_transferred_to_another_service_is_surveyed_on_neither(
        self,
        world: World,
        tablet_client: Client,
        clock: time_machine.Traveller,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        # given: Bob serves a ticket and transfers it to another RENIEC service
        other = queue_service(
            world.personas.reniec, "Rectificación de datos", world.personas.lima_norte, series="T"
        )
        make_counter(world.personas.lima_norte, world.personas.reniec, 30, [other])
        queue.issue_ticket(world.personas.lima_norte, world.dni, now=OPEN)
        ticket = queue.call_next(world.reniec_counter, by=world.bob, now=OPEN)
        assert ticket is not None
        queue.start(ticket, by=world.bob, now=OPEN)
        new = queue.transfer(ticket, other, by=world.bob, now=OPEN + dt.timedelta(minutes=5))
        clock.move_to(OPEN + dt.timedelta(minutes=6))
        attention = Attention.objects.get()

        # when
        page = shown(tablet_client, world)
        posted = tablet_client.post(url(world), {**GOOD, "attention": attention.pk})
        with django_capture_on_commit_callbacks(execute=True):
            offered = actions.offer_after_finish(attention)

        # then
        assert (attention.outcome, Ticket.objects.get(pk=ticket.pk).state) == (
            "referred",
            "transferred",
        )
        assert Ticket.objects.get(pk=new.pk).state == "waiting"
        assert 'name="overall"' not in page
        assert posted.status_code == 410
        assert offered is None
        assert Invitation.objects.count() == Response.objects.count() == 0
        assert not scheduled_tasks().filter(task_path__contains="surveys").exists()
