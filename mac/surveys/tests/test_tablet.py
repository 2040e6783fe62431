"""The counter's tablet (/encuestas/modulo/<id>/): a kiosk device or staff of
the counter's center; it offers the survey of the counter's last finished
attention for TABLET_MINUTES, takes one answer, can be skipped, and never
shows the previous citizen's survey to the next one."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.test import Client

from mac.accounts.models import Role
from mac.core.testing import make_user
from mac.queueing import actions as queue
from mac.queueing.models import Attention, Ticket
from mac.queueing.testing import OPEN
from mac.screens.kiosk import DEVICE_COOKIE, DEVICE_SALT
from mac.screens.models import KioskDevice
from mac.surveys import actions
from mac.surveys.errors import Expired
from mac.surveys.models import Invitation, Response
from mac.surveys.testing import GOOD, World, attend

pytestmark = pytest.mark.django_db


def as_device(client: Client, world: World, center_slug: str = "lima-norte") -> Client:
    center = world.personas.lima_norte if center_slug == "lima-norte" else world.personas.arequipa
    device = KioskDevice.objects.create(center=center, name="Tableta 1", created_at=OPEN)
    client.cookies[DEVICE_COOKIE] = signing.dumps(device.pk, salt=DEVICE_SALT)
    return client


@pytest.fixture
def tablet(world: World, client: Client) -> Client:
    return as_device(client, world)


@pytest.fixture
def served(world: World, clock: time_machine.Traveller) -> Attention:
    """Bob's attention that ended at 10:12; the clock at 10:13."""
    attention = attend(world.reniec_counter, world.bob, world.dni)
    clock.move_to(attention.ended_at + dt.timedelta(minutes=1))
    return attention


def url(world: World, rest: str = "") -> str:
    return f"/encuestas/modulo/{world.reniec_counter.pk}/{rest}"


class TestTablet:
    def test_it_refuses_other_browsers(self, world: World, client: Client) -> None:
        anonymous = client.get(url(world)).status_code
        as_device(client, world, "arequipa")
        other_center = client.get(url(world)).status_code
        client.cookies.clear()
        client.force_login(world.bob)  # an advisor's session is not a kiosk
        advisor = client.get(url(world)).status_code

        assert (anonymous, other_center, advisor) == (403, 403, 403)

    def test_it_lets_staff_of_the_center_use_it(self, world: World, client: Client) -> None:
        orientation = make_user("olga", Role.ORIENTATION, center=world.personas.lima_norte)
        client.force_login(orientation)

        assert client.get(url(world)).status_code == 200

    def test_it_waits_while_no_attention_ended(self, world: World, tablet: Client) -> None:
        page = tablet.get(url(world))

        text = page.content.decode()
        assert page.status_code == 200
        assert "Gracias por tu visita" in text
        assert 'hx-trigger="every 5s"' in text and 'name="overall"' not in text

    def test_it_takes_the_answer_of_the_last_attention(
        self, world: World, tablet: Client, served: Attention
    ) -> None:
        shown = tablet.get(url(world)).content.decode()

        posted = tablet.post(url(world), {**GOOD, "attention": served.pk, "comment": "Bien"})
        after = tablet.get(url(world)).content.decode()

        assert "Duplicado del DNI (RENIEC)" in shown and 'name="overall"' in shown
        assert posted.status_code == 302 and posted["Location"] == url(world, "gracias/")
        response = Response.objects.get()
        assert (response.attention, response.channel, response.comment) == (
            served,
            "tablet",
            "Bien",
        )
        assert 'name="overall"' not in after  # answered: back to waiting

    def test_it_refuses_bad_values_and_stores_nothing(
        self, world: World, tablet: Client, served: Attention
    ) -> None:
        posted = tablet.post(url(world), {**GOOD, "attention": served.pk, "overall": "6"})

        assert posted.status_code == 422
        assert "Elige una respuesta." in posted.content.decode()
        assert Response.objects.count() == 0

    @pytest.mark.parametrize("attention", ["²", "9" * 5000])
    def test_skipping_with_a_crafted_attention_goes_back_to_waiting(
        self, world: World, tablet: Client, served: Attention, attention: str
    ) -> None:
        posted = tablet.post(url(world, "omitir/"), {"attention": attention})

        assert (posted.status_code, posted["Location"]) == (302, url(world))
        assert Invitation.objects.filter(tablet_dismissed_at__isnull=False).count() == 0

    def test_it_stops_offering_after_the_tablet_minutes(
        self, world: World, tablet: Client, served: Attention, clock: time_machine.Traveller
    ) -> None:
        clock.move_to(served.ended_at + dt.timedelta(minutes=10, seconds=1))

        shown = tablet.get(url(world)).content.decode()
        late = tablet.post(url(world), {**GOOD, "attention": served.pk})

        assert 'name="overall"' not in shown
        assert late.status_code == 410
        assert "ya no está disponible" in late.content.decode()
        assert Response.objects.count() == 0

    def test_it_can_be_skipped_and_the_link_stays_valid(
        self, world: World, tablet: Client, served: Attention
    ) -> None:
        skipped = tablet.post(url(world, "omitir/"), {"attention": served.pk})
        shown = tablet.get(url(world)).content.decode()

        assert skipped.status_code == 302
        assert 'name="overall"' not in shown
        invitation = Invitation.objects.get(attention=served)
        assert invitation.tablet_dismissed_at is not None
        actions.answer(invitation.token, GOOD)
        assert Response.objects.count() == 1

    def test_it_reloads_when_the_survey_on_screen_is_no_longer_current(
        self, world: World, tablet: Client, served: Attention, clock: time_machine.Traveller
    ) -> None:
        current = tablet.get(url(world, "vigente/"), {"atencion": served.pk})
        nxt = attend(world.reniec_counter, world.bob, world.dni, at=served.ended_at)
        clock.move_to(nxt.ended_at)
        stale = tablet.get(url(world, "vigente/"), {"atencion": served.pk})

        assert current.status_code == 204
        assert stale.status_code == 200 and stale["HX-Refresh"] == "true"
        assert f'value="{nxt.pk}"' in tablet.get(url(world)).content.decode()

    def test_a_link_answer_after_the_tablet_one_is_refused(
        self, world: World, tablet: Client, served: Attention, client: Client
    ) -> None:
        tablet.post(url(world), {**GOOD, "attention": served.pk})
        invitation = Invitation.objects.get(attention=served)

        again = Client().post(f"/encuestas/{invitation.token}/", GOOD)

        assert again.status_code == 409
        assert Response.objects.count() == 1


class TestNextCitizen:
    """Once the counter calls the next ticket, the citizen in front of the
    tablet may be the next one: the previous citizen's survey is gone, and an
    answer given then is not stored as theirs."""

    def test_the_next_citizen_never_sees_nor_answers_the_previous_survey(
        self, world: World, tablet: Client, clock: time_machine.Traveller
    ) -> None:
        # given: citizen A's attention ended at 10:12; B's ticket waits
        a = attend(world.reniec_counter, world.bob, world.dni)
        queue.issue_ticket(world.reniec_counter.center, world.dni, now=a.ended_at)
        clock.move_to(a.ended_at + dt.timedelta(seconds=20))
        before_call = tablet.get(url(world)).content.decode()
        # when: the counter calls B (10:12:30), then starts serving B (10:13)
        b = queue.call_next(
            world.reniec_counter, by=world.bob, now=a.ended_at + dt.timedelta(seconds=30)
        )
        assert b is not None
        clock.move_to(a.ended_at + dt.timedelta(seconds=40))
        called = tablet.get(url(world)).content.decode()
        check = tablet.get(url(world, "vigente/"), {"atencion": a.pk})
        queue.start(b, by=world.bob, now=a.ended_at + dt.timedelta(minutes=1))
        clock.move_to(a.ended_at + dt.timedelta(minutes=2))
        serving = tablet.get(url(world)).content.decode()
        posted = tablet.post(url(world), {**GOOD, "attention": a.pk, "overall": 1})
        skipped = tablet.post(url(world, "omitir/"), {"attention": a.pk})

        # then: A's survey was offered until B was called, never after
        assert Ticket.objects.get(pk=b.pk).state == Ticket.State.SERVING
        assert f'name="attention" value="{a.pk}"' in before_call
        assert 'name="overall"' not in called and 'name="overall"' not in serving
        assert check.status_code == 200 and check["HX-Refresh"] == "true"
        assert posted.status_code == 410
        assert "ya no está disponible" in posted.content.decode()
        assert skipped.status_code == 302
        assert Response.objects.count() == 0
        assert not Invitation.objects.filter(tablet_dismissed_at__isnull=False).exists()
        with pytest.raises(Expired):
            actions.answer_at_counter(world.reniec_counter, a.pk, GOOD)
        assert Response.objects.count() == 0

    def test_the_next_citizens_own_survey_follows(
        self, world: World, tablet: Client, clock: time_machine.Traveller
    ) -> None:
        a = attend(world.reniec_counter, world.bob, world.dni)
        b = attend(world.reniec_counter, world.bob, world.dni, at=a.ended_at, minutes=3)
        clock.move_to(b.ended_at + dt.timedelta(minutes=1))

        shown = tablet.get(url(world)).content.decode()
        posted = tablet.post(url(world), {**GOOD, "attention": b.pk, "overall": 2})

        assert f'name="attention" value="{b.pk}"' in shown
        assert posted.status_code == 302
        assert list(Response.objects.values_list("attention", "overall")) == [(b.pk, 2)]


class TestLanguage:
    """Each citizen starts in Spanish: the language the previous one chose
    goes back to the default when they are done (as the ticket kiosk's
    restart does), so the next survey is neither shown nor stored in it."""

    def in_quechua(self, world: World, tablet: Client) -> None:
        tablet.post("/i18n/setlang/", {"language": "qu", "next": url(world)})
        assert tablet.cookies[settings.LANGUAGE_COOKIE_NAME].value == "qu"

    def next_citizen(
        self, world: World, after: Attention, clock: time_machine.Traveller
    ) -> Attention:
        nxt = attend(world.reniec_counter, world.bob, world.dni, at=after.ended_at)
        clock.move_to(nxt.ended_at + dt.timedelta(minutes=1))
        return nxt

    def test_the_next_citizen_starts_in_spanish_after_an_answer(
        self, world: World, tablet: Client, served: Attention, clock: time_machine.Traveller
    ) -> None:
        # given: citizen A answers in Quechua
        self.in_quechua(world, tablet)
        posted = tablet.post(url(world), {**GOOD, "attention": served.pk})
        thanks = tablet.get(posted["Location"])
        back = tablet.get(url(world, "gracias/"), headers={"HX-Request": "true"})
        # when: citizen B's survey comes up, and B answers
        b = self.next_citizen(world, served, clock)
        page = tablet.get(url(world)).content.decode()
        tablet.post(url(world), {**GOOD, "attention": b.pk})

        # then: A was thanked in Quechua; B saw and answered in Spanish
        assert '<html lang="qu">' in thanks.content.decode()
        assert thanks.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
        assert back["HX-Redirect"] == url(world)
        assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
        assert '<html lang="es">' in page and "¿Cómo te atendimos?" in page
        assert dict(Response.objects.values_list("attention", "language")) == {
            served.pk: "qu",
            b.pk: "es",
        }

    def test_the_next_citizen_starts_in_spanish_after_a_skip(
        self, world: World, tablet: Client, served: Attention, clock: time_machine.Traveller
    ) -> None:
        self.in_quechua(world, tablet)
        skipped = tablet.post(url(world, "omitir/"), {"attention": served.pk})
        b = self.next_citizen(world, served, clock)
        page = tablet.get(url(world)).content.decode()

        assert skipped.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
        assert f'value="{b.pk}"' in page and '<html lang="es">' in page

    def test_it_starts_in_spanish_when_the_survey_on_screen_leaves_it(
        self, world: World, tablet: Client, served: Attention, clock: time_machine.Traveller
    ) -> None:
        # given: citizen A switched to Quechua and walked away from their survey
        self.in_quechua(world, tablet)
        current = tablet.get(url(world, "vigente/"), {"atencion": served.pk})
        b = self.next_citizen(world, served, clock)

        stale = tablet.get(url(world, "vigente/"), {"atencion": served.pk})
        page = tablet.get(url(world)).content.decode()

        assert current.status_code == 204 and not current.cookies
        assert stale["HX-Refresh"] == "true"
        assert stale.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
        assert f'value="{b.pk}"' in page and '<html lang="es">' in page

    def test_a_citizen_keeps_the_language_they_choose_for_their_survey(
        self, world: World, tablet: Client, served: Attention
    ) -> None:
        self.in_quechua(world, tablet)
        page = tablet.get(url(world)).content.decode()
        tablet.post(url(world), {**GOOD, "attention": served.pk})

        assert '<html lang="qu">' in page
        assert Response.objects.get().language == "qu"
