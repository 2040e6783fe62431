"""The confirmed bookings still to come that check-in would refuse after a
change in the back office (`queries.affected_bookings`), each with the code
of check-in's refusal and, for staff, why: the center closed at the
booking's time (an exception, a declared non-working day, a weekday without
hours, hours that leave the slot out, a center no longer operating), the
service no longer offered there, no active counter with the service, or
none that serves it in the booking's language of attention. Read from the
database, whatever the queue's per-process cache still holds."""

from __future__ import annotations

import datetime as dt

import pytest

from mac.appointments import actions, queries
from mac.appointments.models import Booking
from mac.core.testing import make_center
from mac.queueing.models import Counter
from mac.queueing.queries import staffed_services
from mac.queueing.testing import make_counter

from .affected import DAY, NEXT_DAY, at, back_office, book, document_of, world

pytestmark = pytest.mark.django_db
__all__ = ["back_office", "world"]


def listed(**kw) -> list[tuple[str, str, str]]:
    return [(a.booking.code, a.reason, a.detail) for a in queries.affected_bookings(**kw)]


class TestAffectedBookings:
    def test_it_lists_nothing_while_the_center_can_attend_every_booking(self, world):
        book(world.dni, at(DAY, 10, 10))
        book(world.dni, at(DAY, 11, 10), attention="qu")
        book(world.other, at(DAY, 10, 10))

        assert listed() == []

    def test_it_lists_the_bookings_of_a_day_the_center_closes(self, world, back_office):
        closed = book(world.dni, at(DAY, 10, 10))
        other = book(world.other, at(DAY, 15, 10))
        book(world.dni, at(NEXT_DAY, 10, 10))

        back_office.close(world.center, DAY, "Simulacro de sismo")

        detail = "El centro cierra ese día: Simulacro de sismo."
        assert listed() == [
            (closed.code, "center_closed", detail),
            (other.code, "center_closed", detail),
        ]

    def test_it_lists_a_booking_left_outside_the_days_hours(self, world, back_office):
        book(world.dni, at(DAY, 12, 10))  # inside
        at_closing = book(world.dni, at(DAY, 12, 30))
        book(world.other, at(DAY, 8, 30))

        back_office.shorten(world.center, DAY, dt.time(8, 30), dt.time(12, 30))

        assert listed() == [
            (
                at_closing.code,
                "center_closed",
                "La cita queda fuera del horario de atención de ese día (08:30-12:30).",
            )
        ]

    def test_it_lists_the_bookings_of_a_declared_non_working_day(self, world, back_office):
        booking = book(world.dni, at(DAY, 10, 10))

        back_office.declare(DAY, "Día no laborable compensable")

        assert listed() == [
            (booking.code, "center_closed", "Día no laborable: Día no laborable compensable.")
        ]

    def test_it_lists_the_bookings_of_a_weekday_left_without_hours(self, world, back_office):
        booking = book(world.dni, at(DAY, 10, 10))
        book(world.dni, at(NEXT_DAY, 10, 10))

        back_office.drop_weekday(world.center, DAY.weekday())

        assert listed() == [
            (booking.code, "center_closed", "El centro no atiende ese día de la semana.")
        ]

    def test_it_lists_every_booking_of_a_center_that_stops_operating(self, world, back_office):
        first = book(world.dni, at(DAY, 10, 10))
        second = book(world.other, at(NEXT_DAY, 9, 10))

        back_office.stop_operating(world.center)

        detail = "El centro no está en funcionamiento."
        assert listed() == [
            (first.code, "center_closed", detail),
            (second.code, "center_closed", detail),
        ]

    def test_it_lists_a_service_the_center_no_longer_offers(self, world, back_office):
        booking = book(world.other, at(DAY, 10, 10))
        book(world.dni, at(DAY, 10, 10))

        back_office.withdraw_offer(world.center, world.other)

        assert listed() == [
            (
                booking.code,
                "service_not_offered",
                "El centro no ofrece el trámite: su oferta está inactiva, o el trámite o la"
                " entidad ya no están vigentes.",
            )
        ]

    def test_it_lists_a_service_no_active_counter_has(self, world, back_office):
        booking = book(world.other, at(DAY, 10, 10))
        book(world.dni, at(DAY, 10, 10))

        back_office.disable(world.other_counter)

        assert listed() == [
            (
                booking.code,
                "service_unstaffed",
                "Ningún módulo habilitado del centro tiene el trámite entre sus servicios.",
            )
        ]

    def test_it_lists_a_language_no_active_counter_serves_the_service_in(self, world, back_office):
        quechua = book(world.dni, at(DAY, 10, 10), attention="qu")
        book(world.dni, at(DAY, 11, 10), attention="es", language="qu")

        back_office.speak_only_spanish(world.quechua_counter)

        assert listed() == [
            (
                quechua.code,
                "language_unavailable",
                "Ningún módulo habilitado del centro atiende el trámite en quechua.",
            )
        ]

    def test_it_gives_the_reason_check_in_gives_first(self, world, back_office):
        booking = book(world.dni, at(DAY, 10, 10), attention="qu")
        back_office.speak_only_spanish(world.quechua_counter)
        back_office.disable(world.dni_counter)
        back_office.disable(world.quechua_counter)
        assert [r for _c, r, _d in listed()] == ["service_unstaffed"]

        back_office.withdraw_offer(world.center, world.dni)
        assert [r for _c, r, _d in listed()] == ["service_not_offered"]

        back_office.close(world.center, DAY)
        assert [(c, r) for c, r, _d in listed()] == [(booking.code, "center_closed")]

    def test_it_reads_the_counters_from_the_database_not_the_cache(self, world):
        booking = book(world.other, at(DAY, 10, 10))
        assert world.other.pk in staffed_services(world.center.pk)  # cached now

        # a change written without dropping this process's cache (another worker's)
        Counter.objects.filter(pk=world.other_counter.pk).update(active=False)

        assert world.other.pk in staffed_services(world.center.pk)
        assert [(c, r) for c, r, _d in listed()] == [(booking.code, "service_unstaffed")]

    def test_it_leaves_out_bookings_not_confirmed_or_already_begun(self, world, back_office, clock):
        begun = book(world.other, at(DAY, 10, 10))
        cancelled = book(world.other, at(DAY, 10, 30))
        actions.cancel(cancelled.code, **document_of(cancelled))
        held = actions.hold(
            next(s for s in actions.open_day(world.center, world.other, DAY) if s.taken == 0).pk,
            world.other,
        )
        later = book(world.other, at(DAY, 11, 10))
        back_office.disable(world.other_counter)

        clock.move_to(at(DAY, 10, 10))

        assert [c for c, _r, _d in listed()] == [later.code]
        assert Booking.objects.get(pk=held.pk).status == "held"
        assert begun.code not in [c for c, _r, _d in listed()]

    def test_it_lists_one_center_or_some_bookings_when_asked(self, world, back_office):
        arequipa = make_center("arequipa")
        booking = book(world.other, at(DAY, 10, 10))
        second = book(world.other, at(DAY, 10, 30))
        back_office.disable(world.other_counter)

        assert [c for c, _r, _d in listed(centers=[arequipa.pk])] == []
        assert [c for c, _r, _d in listed(centers=[world.center.pk])] == [
            booking.code,
            second.code,
        ]
        assert [c for c, _r, _d in listed(bookings=[second.pk])] == [second.code]
        assert queries.unservable(booking).reason == "service_unstaffed"  # type: ignore[union-attr]
        assert queries.unservable(book(world.dni, at(DAY, 10, 10))) is None

    def test_it_reads_the_same_statements_for_one_booking_or_many(
        self, world, back_office, django_assert_max_num_queries
    ):
        for minute in (10, 30, 50):
            book(world.other, at(DAY, 10, minute))
            book(world.dni, at(DAY, 10, minute), attention="qu")
        make_counter(make_center("arequipa"), world.setup.personas.reniec, 1, [world.dni])
        back_office.disable(world.other_counter)
        back_office.speak_only_spanish(world.quechua_counter)

        with django_assert_max_num_queries(8):
            found = queries.affected_bookings()

        # by start, then as booked
        assert [(a.booking.service_id, a.reason) for a in found] == [
            (world.other.pk, "service_unstaffed"),
            (world.dni.pk, "language_unavailable"),
        ] * 3
