import datetime as dt
from typing import Any

import pytest

from mac.queueing import actions
from mac.queueing.errors import Conflict, Forbidden, Invalid
from mac.queueing.models import AppendOnlyError, Attention, CenterQueue, Counter, Ticket
from mac.queueing.testing import OPEN, make_advisor, make_counter

from .conftest import Desk

LATER = OPEN + dt.timedelta(minutes=12)


def snapshot_of(*objs: Ticket | Counter) -> list[tuple]:
    """What must not change when an action is refused."""
    rows: list[tuple[Any, ...]] = []
    for obj in objs:
        obj.refresh_from_db()
        if isinstance(obj, Ticket):
            rows.append((obj.state, obj.counter_id, obj.called_at, obj.ended_at, obj.recalls))
        else:
            rows.append((obj.status, obj.current_ticket_id))
    return rows


class TestCallNext:
    def test_it_calls_the_longest_waiting_ticket_it_may_serve(self, desk: Desk) -> None:
        ruc = actions.issue_ticket(desk.center, desk.ruc, now=OPEN)
        first = actions.issue_ticket(desk.center, desk.dni, now=OPEN + dt.timedelta(minutes=1))
        actions.issue_ticket(desk.center, desk.acta, now=OPEN + dt.timedelta(minutes=2))
        called = actions.call_next(desk.counter, by=desk.advisor, now=LATER)
        assert called is not None
        assert (called.pk, called.state, called.called_at) == (first.pk, "called", LATER)
        desk.counter.refresh_from_db()
        assert desk.counter.current_ticket_id == first.pk
        ruc.refresh_from_db()
        assert ruc.state == "waiting"  # not this counter's skill

    def test_it_calls_priority_citizens_first(self, desk: Desk) -> None:
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        priority = actions.issue_ticket(
            desk.center, desk.dni, now=OPEN + dt.timedelta(minutes=5), priority_reason="disability"
        )
        called = actions.call_next(desk.counter, by=desk.advisor, now=LATER)
        assert called is not None and called.pk == priority.pk

    def test_it_returns_none_when_nobody_it_may_serve_waits(self, desk: Desk) -> None:
        actions.issue_ticket(desk.center, desk.ruc, now=OPEN)
        assert actions.call_next(desk.counter, by=desk.advisor, now=LATER) is None
        desk.counter.refresh_from_db()
        assert desk.counter.current_ticket_id is None

    def test_it_refuses_to_call_while_serving(self, desk: Desk) -> None:
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        waiting = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        current = actions.call_next(desk.counter, by=desk.advisor, now=LATER)
        assert current is not None
        before = snapshot_of(current, waiting, desk.counter)
        with pytest.raises(Conflict) as info:
            actions.call_next(desk.counter, by=desk.advisor, now=LATER)
        assert info.value.code == "busy"
        assert "R-001" in info.value.message
        assert snapshot_of(current, waiting, desk.counter) == before

    def test_it_refuses_a_counter_nobody_signed_in(self, desk: Desk) -> None:
        empty = make_counter(desk.center, desk.reniec, 9, [desk.dni])
        waiting = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        with pytest.raises(Conflict) as info:
            actions.call_next(empty, by=desk.advisor, now=LATER)
        assert info.value.code == "not_signed_in"
        assert snapshot_of(waiting, empty) == [("waiting", None, None, None, 0), ("closed", None)]

    def test_it_refuses_another_advisors_counter(self, desk: Desk) -> None:
        waiting = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        with pytest.raises(Forbidden):
            actions.call_next(desk.counter, by=desk.sunat_advisor, now=LATER)
        assert snapshot_of(waiting)[0][0] == "waiting"

    def test_it_refuses_a_paused_counter(self, desk: Desk) -> None:
        waiting = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.pause(desk.counter, by=desk.advisor, reason="refrigerio", now=OPEN)
        with pytest.raises(Conflict) as info:
            actions.call_next(desk.counter, by=desk.advisor, now=LATER)
        assert info.value.code == "paused"
        assert snapshot_of(waiting)[0][0] == "waiting"
        actions.resume(desk.counter, by=desk.advisor, now=LATER)
        assert actions.call_next(desk.counter, by=desk.advisor, now=LATER) is not None


class TestServing:
    def called(self, desk: Desk) -> Ticket:
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        ticket = actions.call_next(desk.counter, by=desk.advisor, now=LATER)
        assert ticket is not None
        return ticket

    def test_it_records_one_attention_when_finished(self, desk: Desk) -> None:
        ticket = self.called(desk)
        actions.start(ticket, by=desk.advisor, now=LATER + dt.timedelta(minutes=1))
        attention = actions.finish(
            ticket, by=desk.advisor, outcome="pending", now=LATER + dt.timedelta(minutes=8)
        )
        assert (attention.wait_seconds, attention.service_seconds) == (12 * 60, 7 * 60)
        assert (attention.outcome, attention.channel, attention.counter_id) == (
            "pending",
            "center",
            desk.counter.pk,
        )
        assert (attention.entity_id, attention.service_id, attention.advisor_id) == (
            desk.reniec.pk,
            desk.dni.pk,
            desk.advisor.pk,
        )
        ticket.refresh_from_db()
        desk.counter.refresh_from_db()
        assert (ticket.state, desk.counter.current_ticket_id) == ("done", None)

    def test_it_refuses_to_finish_a_waiting_ticket(self, desk: Desk) -> None:
        waiting = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        with pytest.raises(Conflict) as info:
            actions.finish(waiting, by=desk.advisor, now=LATER)
        assert "En espera" in info.value.message
        assert snapshot_of(waiting) == [("waiting", None, None, None, 0)]
        assert Attention.objects.count() == 0

    def test_it_refuses_to_finish_before_starting(self, desk: Desk) -> None:
        ticket = self.called(desk)
        before = snapshot_of(ticket, desk.counter)
        with pytest.raises(Conflict):
            actions.finish(ticket, by=desk.advisor, now=LATER)
        assert snapshot_of(ticket, desk.counter) == before
        assert Attention.objects.count() == 0

    def test_it_finishes_a_ticket_once(self, desk: Desk) -> None:
        ticket = self.called(desk)
        actions.start(ticket, by=desk.advisor, now=LATER)
        actions.finish(ticket, by=desk.advisor, now=LATER)
        with pytest.raises(Conflict):
            actions.finish(ticket, by=desk.advisor, now=LATER)
        assert Attention.objects.count() == 1

    @pytest.mark.parametrize("outcome", ["maybe", "unrecorded"])
    def test_it_refuses_an_outcome_an_advisor_may_not_choose(
        self, desk: Desk, outcome: str
    ) -> None:
        # "unrecorded" is the system's, for a past day's attention left open
        ticket = self.called(desk)
        actions.start(ticket, by=desk.advisor, now=LATER)
        with pytest.raises(Invalid):
            actions.finish(ticket, by=desk.advisor, outcome=outcome, now=LATER)
        assert snapshot_of(ticket)[0][0] == "serving"
        assert Attention.objects.count() == 0

    def test_it_bounds_recalls(self, desk: Desk) -> None:
        ticket = self.called(desk)
        actions.recall(ticket, by=desk.advisor, now=LATER)
        actions.recall(ticket, by=desk.advisor, now=LATER)
        with pytest.raises(Conflict) as info:
            actions.recall(ticket, by=desk.advisor, now=LATER)
        assert info.value.code == "recall_limit"
        assert snapshot_of(ticket)[0][4] == 2

    def test_it_frees_the_counter_on_no_show(self, desk: Desk) -> None:
        ticket = self.called(desk)
        actions.no_show(ticket, by=desk.advisor, now=LATER)
        assert snapshot_of(ticket, desk.counter) == [
            ("no_show", desk.counter.pk, LATER, LATER, 0),
            ("open", None),
        ]
        assert Attention.objects.count() == 0

    def test_it_transfers_to_another_service(self, desk: Desk) -> None:
        ticket = self.called(desk)
        actions.start(ticket, by=desk.advisor, now=LATER)
        new = actions.transfer(ticket, desk.ruc, by=desk.advisor, now=LATER)
        ticket.refresh_from_db()
        assert (ticket.state, ticket.transferred_to_id) == ("transferred", new.pk)
        assert (new.state, new.code, new.visit_id, new.source) == (
            "waiting",
            "S-001",
            ticket.visit_id,
            "transfer",
        )
        assert list(Attention.objects.values_list("outcome", flat=True)) == ["referred"]
        called = actions.call_next(desk.sunat_counter, by=desk.sunat_advisor, now=LATER)
        assert called is not None and called.pk == new.pk

    def test_it_cancels_only_waiting_tickets(self, desk: Desk) -> None:
        waiting = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.cancel(waiting, now=OPEN)
        assert snapshot_of(waiting)[0][0] == "cancelled"
        with pytest.raises(Conflict):
            actions.cancel(waiting, now=OPEN)


class TestAttentionsAreAppendOnly:
    def test_it_refuses_edits_and_deletes(self, desk: Desk) -> None:
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        ticket = actions.call_next(desk.counter, by=desk.advisor, now=LATER)
        assert ticket is not None
        actions.start(ticket, by=desk.advisor, now=LATER)
        attention = actions.finish(ticket, by=desk.advisor, now=LATER)
        attention.outcome = "referred"
        with pytest.raises(AppendOnlyError):
            attention.save()
        with pytest.raises(AppendOnlyError):
            attention.delete()
        assert list(Attention.objects.values_list("outcome", flat=True)) == ["resolved"]


class TestSessions:
    def test_it_refuses_signing_in_to_another_entitys_counter(self, desk: Desk) -> None:
        other = make_counter(desk.center, desk.sunat, 7, [desk.ruc])
        with pytest.raises(Forbidden):
            actions.sign_in(other, by=desk.advisor, now=OPEN)
        other.refresh_from_db()
        assert other.status == "closed"

    def test_it_refuses_two_sessions_for_one_advisor(self, desk: Desk) -> None:
        second = make_counter(desk.center, desk.reniec, 8, [desk.dni])
        with pytest.raises(Conflict) as info:
            actions.sign_in(second, by=desk.advisor, now=OPEN)
        assert info.value.code == "advisor_busy"

    def test_it_refuses_signing_out_while_serving(self, desk: Desk) -> None:
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.call_next(desk.counter, by=desk.advisor, now=LATER)
        with pytest.raises(Conflict):
            actions.sign_out(desk.counter, by=desk.advisor, now=LATER)
        desk.counter.refresh_from_db()
        assert desk.counter.status == "open"


class TestDeferralOnTheServer:
    def test_a_wide_counter_takes_what_an_idle_narrow_counter_leaves(self, desk: Desk) -> None:
        # given a RENIEC counter serving only DNI, free since 10:00, and the wide
        # counter (DNI and acta) under the mac policy
        CenterQueue.objects.filter(center=desk.center).update(policy="mac")
        narrow, narrow_advisor = desk.counter, desk.advisor
        wide_counter = make_counter(desk.center, desk.reniec, 3, [desk.dni, desk.acta])
        wide_advisor = make_advisor(desk.center, desk.reniec)
        actions.sign_in(wide_counter, by=wide_advisor, now=OPEN)
        narrow.services.set([desk.dni])
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        # when the wide counter calls 30 s later, the narrow one is left the ticket
        soon = OPEN + dt.timedelta(seconds=30)
        assert actions.call_next(wide_counter, by=wide_advisor, now=soon) is None
        # but 5 minutes later its advisor is evidently not calling: the wide one takes it
        later = OPEN + dt.timedelta(minutes=5)
        called = actions.call_next(wide_counter, by=wide_advisor, now=later)
        assert called is not None and called.code == "R-001"
        assert narrow_advisor.pk != wide_advisor.pk
