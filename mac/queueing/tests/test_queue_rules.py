"""Moves the engine refuses beyond the ticket's state: a disabled counter, a
counter changed under its advisor, sign-in by someone who is not that
counter's advisor, a suspended entity's services, a second open ticket for one
service. Each refusal is a clear error and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from mac.accounts.models import Role
from mac.catalog.models import Entity
from mac.centers.models import Center
from mac.core.models import AuditLog, Event
from mac.core.testing import make_user
from mac.queueing import actions, cache
from mac.queueing.errors import Conflict, Forbidden, Invalid
from mac.queueing.models import AdvisorSession, Attention, CenterQueue, Counter, Ticket
from mac.queueing.testing import OPEN, make_advisor, make_counter, queue_center

from .conftest import Desk

LATER = OPEN + dt.timedelta(minutes=5)


def counter_row(counter: Counter) -> tuple:
    return (
        Counter.objects.filter(pk=counter.pk)
        .values_list(
            "entity_id", "center_id", "active", "status", "advisor_id", "current_ticket_id"
        )
        .get()
    )


def writes() -> tuple[int, int, int]:
    return (Ticket.objects.count(), Event.objects.count(), AuditLog.objects.count())


class TestDisabledCounter:
    def test_a_disabled_counter_does_not_call(self, desk: Desk) -> None:
        # given: a counter disabled while its advisor was signed in (data from before
        # save_counter refused it)
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        Counter.objects.filter(pk=desk.counter.pk).update(active=False)
        before = writes()

        # when
        with pytest.raises(Conflict) as refused:
            actions.call_next(desk.counter, by=desk.advisor, now=LATER)

        # then
        assert refused.value.code == "counter_inactive"
        assert Ticket.objects.get(pk=ticket.pk).state == "waiting"
        assert writes() == before


class TestCounterInUse:
    @pytest.mark.parametrize("change", ["entity", "center", "active"])
    def test_an_open_counter_keeps_its_entity_center_and_stays_enabled(
        self, desk: Desk, change: str
    ) -> None:
        # given
        coordinator = make_user("coord", Role.CENTER_COORDINATOR, center=desk.center)
        counter = Counter.objects.get(pk=desk.counter.pk)
        before, logged = counter_row(counter), AuditLog.objects.count()
        if change == "entity":
            counter.entity = desk.sunat
        elif change == "center":
            counter.center = queue_center("arequipa", district="040112")
        else:
            counter.active = False

        # when
        with pytest.raises(Conflict) as refused:
            actions.save_counter(counter, by=coordinator, changed_fields=[change])

        # then
        assert refused.value.code == "counter_in_use"
        assert counter_row(counter) == before
        assert AuditLog.objects.count() == logged

    def test_it_changes_once_the_advisor_signed_out(self, desk: Desk) -> None:
        # given
        coordinator = make_user("coord", Role.CENTER_COORDINATOR, center=desk.center)
        actions.sign_out(desk.counter, by=desk.advisor, now=LATER)
        counter = Counter.objects.get(pk=desk.counter.pk)
        counter.active = False

        # when
        actions.save_counter(counter, by=coordinator, changed_fields=["active"])

        # then
        assert counter_row(counter)[2:5] == (False, "closed", None)

    def test_skills_change_while_the_advisor_works(self, desk: Desk) -> None:
        coordinator = make_user("coord", Role.CENTER_COORDINATOR, center=desk.center)
        counter = Counter.objects.get(pk=desk.counter.pk)
        counter.languages = ["es", "qu"]
        actions.save_counter(
            counter, by=coordinator, changed_fields=["languages", "services"], services=[desk.dni]
        )
        stored = Counter.objects.get(pk=desk.counter.pk)
        assert (stored.languages, list(stored.services.values_list("pk", flat=True))) == (
            ["es", "qu"],
            [desk.dni.pk],
        )


class TestSignIn:
    def sessions(self) -> int:
        return AdvisorSession.objects.count()

    @pytest.mark.parametrize("role", [Role.CATALOG_EDITOR, Role.ENTITY_SUPERVISOR])
    def test_only_an_advisor_signs_in(self, desk: Desk, role: str) -> None:
        # given: a free RENIEC counter, and RENIEC staff who are not advisors
        counter = make_counter(desk.center, desk.reniec, 7, [desk.dni])
        user = make_user("staff", role, entity=desk.reniec, is_staff=True)
        before, sessions = counter_row(counter), self.sessions()

        # when
        with pytest.raises(Forbidden) as refused:
            actions.sign_in(counter, by=user, now=LATER)

        # then
        assert refused.value.code == "not_your_counter"
        assert (counter_row(counter), self.sessions()) == (before, sessions)

    def test_an_advisor_signs_in_at_their_own_center_only(self, desk: Desk) -> None:
        arequipa = queue_center("arequipa", district="040112")
        counter = make_counter(arequipa, desk.reniec, 1, [])
        advisor = make_advisor(desk.center, desk.reniec)
        with pytest.raises(Forbidden):
            actions.sign_in(counter, by=advisor, now=LATER)
        assert counter_row(counter)[3:5] == ("closed", None)

    def test_nobody_signs_in_at_a_closed_center(self, desk: Desk) -> None:
        # given
        counter = make_counter(desk.center, desk.reniec, 7, [desk.dni])
        advisor = make_advisor(desk.center, desk.reniec)
        Center.objects.filter(pk=desk.center.pk).update(status=Center.Status.CLOSED)
        sessions = self.sessions()

        # when
        with pytest.raises(Conflict) as refused:
            actions.sign_in(counter, by=advisor, now=LATER)

        # then
        assert refused.value.code == "center_closed"
        assert (counter_row(counter)[3:5], self.sessions()) == (("closed", None), sessions)


class TestSuspendedEntity:
    @pytest.mark.parametrize("status", [Entity.Status.SUSPENDED, Entity.Status.WITHDRAWN])
    def test_its_services_are_not_issued_added_or_transferred_to(
        self, desk: Desk, status: str
    ) -> None:
        # given: a SUNAT citizen, then RENIEC stops serving at MAC
        sunat = actions.issue_ticket(desk.center, desk.ruc, now=OPEN)
        Entity.objects.filter(pk=desk.reniec.pk).update(status=status)
        cache.clear()
        called = actions.call_next(desk.sunat_counter, by=desk.sunat_advisor, now=OPEN)
        assert called is not None
        before = writes()

        # when / then
        for refused_action in (
            lambda: actions.issue_ticket(desk.center, desk.dni, now=LATER),
            lambda: actions.add_service(sunat.visit, desk.acta, now=LATER),
            lambda: actions.transfer(called, desk.dni, by=desk.sunat_advisor, now=LATER),
        ):
            with pytest.raises(Invalid) as refused:
                refused_action()
            assert refused.value.code == "service_not_offered"
        assert writes() == before
        assert Ticket.objects.get(pk=sunat.pk).state == "called"


class TestOneOpenTicketPerService:
    def test_a_transfer_to_a_service_the_visit_already_waits_for_is_refused(
        self, desk: Desk
    ) -> None:
        # given: a citizen with a DNI ticket who also asked for a birth record
        first = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.add_service(first.visit, desk.acta, now=OPEN)
        called = actions.call_next(desk.counter, by=desk.advisor, now=OPEN)
        assert called is not None and called.pk == first.pk
        actions.start(called, by=desk.advisor, now=OPEN)
        before = writes()

        # when
        with pytest.raises(Conflict) as refused:
            actions.transfer(called, desk.acta, by=desk.advisor, now=LATER)

        # then
        assert refused.value.code == "duplicate"
        assert Ticket.objects.get(pk=first.pk).state == "serving"
        assert list(Ticket.objects.filter(visit=first.visit).values_list("code", "state")) == [
            ("R-001", "serving"),
            ("A-001", "waiting"),
        ]
        assert Attention.objects.count() == 0
        assert writes() == before


class TestAppointmentTarget:
    def test_a_target_of_zero_minutes_is_kept(self, desk: Desk) -> None:
        CenterQueue.objects.update_or_create(
            center=desk.center, defaults={"appointment_target_minutes": 0}
        )
        ticket = actions.issue_ticket(
            desk.center,
            desk.dni,
            source="appointment",
            appointment_at=OPEN + dt.timedelta(minutes=2),
            now=OPEN,
        )
        assert ticket.target_wait_seconds == 0


class TestAdvisorMoved:
    """An advisor's account changes while they are signed in at a counter:
    moved to another entity or center, or deactivated. They no longer call
    there, and an idle counter is released for a colleague."""

    def national(self):
        return make_user("alice", Role.NATIONAL_SUPERVISOR, is_staff=True)

    @pytest.mark.parametrize("change", ["entity", "center", "deactivated", "role"])
    def test_an_idle_counter_is_released(self, desk: Desk, change: str) -> None:
        from mac.accounts.actions import save_user

        advisor = desk.advisor
        if change == "entity":
            advisor.entity = desk.sunat
        elif change == "center":
            advisor.center = queue_center("arequipa", district="040112")
        elif change == "deactivated":
            advisor.is_active = False
        else:
            advisor.role = Role.ORIENTATION
            advisor.entity = None
        save_user(advisor, by=self.national())

        session = AdvisorSession.objects.get(counter=desk.counter)
        assert counter_row(desk.counter)[3:6] == ("closed", None, None)
        assert session.ended_at is not None
        colleague = make_advisor(desk.center, desk.reniec)
        actions.sign_in(desk.counter, by=colleague, now=LATER)
        assert counter_row(desk.counter)[4] == colleague.pk

    def test_a_moved_advisor_finishes_the_attention_but_calls_no_more(self, desk: Desk) -> None:
        from mac.accounts.actions import save_user

        # given: Bob serves a RENIEC ticket, another waits; he is moved to SUNAT
        first = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        second = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        assert actions.call_next(desk.counter, by=desk.advisor, now=LATER) == first
        actions.start(first, by=desk.advisor, now=LATER)
        desk.advisor.entity = desk.sunat
        save_user(desk.advisor, by=self.national())
        assert counter_row(desk.counter)[4:6] == (desk.advisor.pk, first.pk)

        # when: he finishes, then tries to call the next one
        actions.finish(first, by=desk.advisor, outcome="resolved", now=LATER)
        before = writes()
        with pytest.raises(Forbidden) as refused:
            actions.call_next(desk.counter, by=desk.advisor, now=LATER)

        # then
        assert refused.value.code == "not_your_counter"
        assert Ticket.objects.get(pk=second.pk).state == "waiting"
        assert writes() == before
        actions.sign_out(desk.counter, by=desk.advisor, now=LATER)
        assert counter_row(desk.counter)[3:5] == ("closed", None)

    def test_an_unrelated_change_keeps_the_session(self, desk: Desk) -> None:
        from mac.accounts.actions import save_user

        desk.advisor.first_name = "Roberto"
        save_user(desk.advisor, by=self.national(), changed_fields=["first_name"])

        assert counter_row(desk.counter)[3:5] == ("open", desk.advisor.pk)
