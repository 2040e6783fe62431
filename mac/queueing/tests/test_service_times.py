"""The service times that estimates and routing read come from the last week's
attentions at the center, without the ones an advisor left open."""

import datetime as dt

from mac.queueing import actions, queries
from mac.queueing.queries import forget_service_times, plausible_mean, service_times
from mac.queueing.testing import OPEN

from .conftest import Desk


def serve(desk: Desk, start: dt.datetime, minutes: float) -> None:
    ticket = actions.issue_ticket(desk.center, desk.dni, now=start)
    actions.call_next(desk.counter, by=desk.advisor, now=start)
    actions.start(ticket, by=desk.advisor, now=start)
    actions.finish(ticket, by=desk.advisor, now=start + dt.timedelta(minutes=minutes))


class TestServiceTimes:
    def test_an_attention_left_open_over_lunch_is_left_out(self, desk: Desk) -> None:
        # given: five DNI attentions of 8 to 12 minutes, and one finished after 3 hours
        start = OPEN
        for minutes in (8, 9, 10, 11, 12, 180):
            serve(desk, start, minutes)
            start += dt.timedelta(minutes=minutes)

        # when (calling cached the times of the first calls: they last a minute)
        forget_service_times()
        times = service_times(desk.center, start)

        # then: the mean of the five (with the three hours it would be 38.3 minutes)
        assert times[desk.dni.code] == 600.0

    def test_too_few_attentions_leave_the_configured_duration(self, desk: Desk) -> None:
        # given: four 20-minute attentions (the service is configured at 8)
        for n in range(4):
            serve(desk, OPEN + dt.timedelta(minutes=20 * n), 20)

        # when
        forget_service_times()
        times = service_times(desk.center, OPEN + dt.timedelta(hours=2))

        # then
        assert (times[desk.dni.code], times[desk.acta.code]) == (480.0, 480.0)


class TestPlausibleMean:
    def test_it_drops_durations_over_six_times_the_median(self) -> None:
        assert plausible_mean([600, 600, 600, 600, 3600, 3601]) == 1200.0
        assert plausible_mean([600, 600, 600, 600, 600, 3601]) == 600.0

    def test_it_needs_five_durations_left(self) -> None:
        assert plausible_mean([600, 600, 600, 600, 54_000]) is None
        assert plausible_mean([]) is None
        assert plausible_mean([0, 0, 0, 0, 0]) is None


class TestOneRefreshAtATime:
    def test_while_one_thread_reads_them_again_the_others_keep_the_previous(
        self, desk: Desk, django_assert_num_queries
    ) -> None:
        # given: times read over a minute ago, and another thread reading them again
        serve(desk, OPEN, 10)
        forget_service_times()
        previous = service_times(desk.center, OPEN)
        stamp, times = queries._service_time_cache[desk.center.pk]
        queries._service_time_cache[desk.center.pk] = (stamp - 61, times)
        queries._refreshing.add(("times", desk.center.pk))
        try:
            # when / then: the previous times, without a query
            with django_assert_num_queries(0):
                assert service_times(desk.center, OPEN) is previous
        finally:
            queries._refreshing.discard(("times", desk.center.pk))

        # and once nobody is reading them, they are read again
        with django_assert_num_queries(2):
            service_times(desk.center, OPEN)
