"""The tail: late tickets that can still be kept under the day's p95 wait go
first; a ticket already past it waits behind them, but not for ever."""

import datetime as dt

from mac.queueing import actions
from mac.queueing.models import Ticket
from mac.queueing.policy import (
    CounterInfo,
    PolicyConfig,
    Snapshot,
    WaitingTicket,
    choose,
    day_p95,
)
from mac.queueing.queries import (
    build_snapshot,
    forget_service_times,
    wait_p95,
    wait_p95_history,
)
from mac.queueing.testing import OPEN

from .conftest import Desk

MAC = PolicyConfig("mac")
COUNTER = CounterInfo(id="C1", entity="E", services=frozenset({"A"}), languages=frozenset({"es"}))
MIN = 60.0


def ticket(id: int, waited_min: float, now: float, target_min: float = 15.0) -> WaitingTicket:
    arrived = now - waited_min * MIN
    return WaitingTicket(
        id=id, service="A", entity="E", arrived=arrived, issued=arrived, target=target_min * MIN
    )


class TestTail:
    NOW = 40000.0

    def snapshot(
        self, *tickets: WaitingTicket, p95_min: float | None, past_min: float | None = None
    ) -> Snapshot:
        p95 = None if p95_min is None else p95_min * MIN
        past = None if past_min is None else past_min * MIN
        return Snapshot(
            now=self.NOW,
            waiting=tickets,
            counters=[COUNTER],
            wait_p95=p95,
            wait_p95_history=past,
        )

    def test_it_keeps_a_late_ticket_under_the_days_p95_before_one_already_past_it(self) -> None:
        # given: target 15 min, so the tail starts at min(3 x 15, 15 + 7) = 22 min;
        # the day's p95 so far is 30 min: the 25-min ticket can still stay under it
        past = ticket(1, 50.0, self.NOW)
        savable = ticket(2, 25.0, self.NOW)
        snapshot = self.snapshot(past, savable, p95_min=30.0)
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 2
        assert choose(COUNTER, snapshot, PolicyConfig("fifo")) == 1

    def test_it_serves_the_oldest_late_ticket_while_the_days_p95_is_unknown(self) -> None:
        snapshot = self.snapshot(ticket(1, 50.0, self.NOW), ticket(2, 25.0, self.NOW), p95_min=None)
        assert choose(COUNTER, snapshot, MAC) == 1

    def test_it_bounds_how_long_a_ticket_past_the_p95_waits(self) -> None:
        # given: 2 x 30 = 60 min; it has waited 61 (its starvation bound is 90)
        long_past = ticket(1, 61.0, self.NOW)
        snapshot = self.snapshot(long_past, ticket(2, 25.0, self.NOW), p95_min=30.0)
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 1
        # a center may drop the rule: then the oldest late ticket goes first anyway
        assert choose(COUNTER, snapshot, PolicyConfig("mac", {"tail_level": 0})) == 1
        # and a looser cap leaves it behind the savable one
        assert choose(COUNTER, snapshot, PolicyConfig("mac", {"tail_lost_cap": 3})) == 2

    def test_a_ticket_past_the_p95_yields_to_one_about_to_miss_its_target(self) -> None:
        # given: the day's p95 is 20 min; one ticket has waited 30 (past its
        # tail bound and past the p95: another minute no longer moves the p95),
        # another has 1 min left of its 15-min target
        past = ticket(1, 30.0, self.NOW)
        urgent = ticket(2, 14.0, self.NOW)
        snapshot = self.snapshot(past, urgent, p95_min=20.0)
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 2
        assert choose(COUNTER, snapshot, PolicyConfig("fifo")) == 1

    def test_without_a_rescue_due_the_ticket_past_the_p95_goes_first(self) -> None:
        # the other has 13 min left: it can wait one 10-min service here (+2 min of margin)
        snapshot = self.snapshot(ticket(1, 30.0, self.NOW), ticket(2, 2.0, self.NOW), p95_min=20.0)
        assert choose(COUNTER, snapshot, MAC) == 1

    def test_a_ticket_still_under_the_p95_does_not_yield(self) -> None:
        # p95 40 min: the 30-min ticket can still be kept under it
        snapshot = self.snapshot(ticket(1, 30.0, self.NOW), ticket(2, 14.0, self.NOW), p95_min=40.0)
        assert choose(COUNTER, snapshot, MAC) == 1

    def test_a_ticket_under_the_past_weeks_p95_does_not_yield_though_past_todays(self) -> None:
        # given: today's p95 so far is 20 min, but the same weekday ended at 40
        # in past weeks: the 30-min ticket will still move today's final p95
        late, urgent = ticket(1, 30.0, self.NOW), ticket(2, 14.0, self.NOW)
        snapshot = self.snapshot(late, urgent, p95_min=20.0, past_min=40.0)
        # when / then
        assert choose(COUNTER, snapshot, MAC) == 1
        # a center may go by today's p95 alone
        assert choose(COUNTER, snapshot, PolicyConfig("mac", {"tail_history": 0})) == 2
        # or by a share of the past weeks': 0.5 x 40 = 20 min, the 30-min ticket yields
        assert choose(COUNTER, snapshot, PolicyConfig("mac", {"tail_history": 0.5})) == 2

    def test_the_past_weeks_p95_sets_the_level_before_twenty_calls(self) -> None:
        late, urgent = ticket(1, 30.0, self.NOW), ticket(2, 14.0, self.NOW)
        # past weeks ended at 20 min: the 30-min ticket is past it and yields
        assert choose(COUNTER, self.snapshot(late, urgent, p95_min=None, past_min=20.0), MAC) == 2
        # no history either: the oldest late ticket goes first
        assert choose(COUNTER, self.snapshot(late, urgent, p95_min=None), MAC) == 1

    def test_a_lower_past_p95_does_not_lower_todays_level(self) -> None:
        # today's p95 is already 40 min, past weeks ended at 20: the level stays 40
        late, urgent = ticket(1, 30.0, self.NOW), ticket(2, 14.0, self.NOW)
        snapshot = self.snapshot(late, urgent, p95_min=40.0, past_min=20.0)
        assert choose(COUNTER, snapshot, MAC) == 1

    def test_it_takes_day_p95_from_twenty_waits_on(self) -> None:
        assert day_p95([float(n) for n in range(19)]) is None
        assert day_p95([float(n) for n in range(1, 101)]) == 95.0  # rank 94 of 0..99
        assert day_p95([0.0] * 20) == 0.0


class TestServerWaitP95:
    def test_it_reads_the_p95_of_the_waits_of_todays_called_tickets(self, desk: Desk) -> None:
        # given: 40 tickets issued a minute apart; ticket n is called n minutes
        # after it was issued (waits 0..39 min), one more waits uncalled
        tickets = [
            actions.issue_ticket(desk.center, desk.dni, now=OPEN + dt.timedelta(minutes=n))
            for n in range(41)
        ]
        now = OPEN + dt.timedelta(hours=2)
        for n, t in enumerate(tickets[:40]):
            Ticket.objects.filter(pk=t.pk).update(
                called_at=t.wait_from + dt.timedelta(minutes=n), state="done"
            )
        # yesterday's tickets do not count
        Ticket.objects.filter(pk=tickets[0].pk).update(day=OPEN.date() - dt.timedelta(days=1))
        # when
        value = wait_p95(desk.center.pk, now)
        # then: 39 waits (1..39 min), rank int(0.95 x 38) = 36 -> 37 min
        assert value == 37 * 60.0
        forget_service_times()
        snapshot, _ = build_snapshot(desk.center, now)
        assert snapshot.wait_p95 == 37 * 60.0

    def test_it_knows_no_p95_before_twenty_calls(self, desk: Desk) -> None:
        for n in range(19):
            t = actions.issue_ticket(desk.center, desk.dni, now=OPEN + dt.timedelta(minutes=n))
            Ticket.objects.filter(pk=t.pk).update(called_at=t.wait_from, state="done")
        assert wait_p95(desk.center.pk, OPEN + dt.timedelta(hours=1)) is None


class TestServerWaitP95History:
    def called_day(self, desk: Desk, day: dt.date, waits_min: list[float]) -> None:
        """Tickets of `day` (Lima) called after the given waits."""
        for n, wait in enumerate(waits_min):
            t = actions.issue_ticket(desk.center, desk.dni, now=OPEN + dt.timedelta(seconds=n))
            Ticket.objects.filter(pk=t.pk).update(
                day=day, called_at=t.wait_from + dt.timedelta(minutes=wait), state="done"
            )

    def test_it_averages_the_final_p95_of_the_same_weekday_in_the_last_four_weeks(
        self, desk: Desk
    ) -> None:
        today = OPEN.date()
        # given: a week ago, waits 0..39 min (p95: rank int(0.95 x 39) = 37 min);
        # two weeks ago, 20 waits of 20 min; three weeks ago only 19 calls
        self.called_day(desk, today - dt.timedelta(weeks=1), [float(n) for n in range(40)])
        self.called_day(desk, today - dt.timedelta(weeks=2), [20.0] * 20)
        self.called_day(desk, today - dt.timedelta(weeks=3), [90.0] * 19)
        # none of these count: five weeks ago, another weekday, today
        self.called_day(desk, today - dt.timedelta(weeks=5), [99.0] * 30)
        self.called_day(desk, today - dt.timedelta(days=6), [99.0] * 30)
        self.called_day(desk, today, [99.0] * 30)
        now = OPEN + dt.timedelta(hours=3)
        # when
        value = wait_p95_history(desk.center.pk, now)
        # then: the mean of 37 and 20 min
        assert value == 28.5 * MIN
        forget_service_times()
        snapshot, _ = build_snapshot(desk.center, now)
        assert snapshot.wait_p95_history == 28.5 * MIN
        assert snapshot.wait_p95 == 99 * MIN

    def test_it_knows_no_history_without_a_past_day_of_twenty_calls(self, desk: Desk) -> None:
        self.called_day(desk, OPEN.date() - dt.timedelta(weeks=1), [10.0] * 19)
        assert wait_p95_history(desk.center.pk, OPEN + dt.timedelta(hours=1)) is None
