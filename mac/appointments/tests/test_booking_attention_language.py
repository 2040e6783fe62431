"""A booking records the language its citizen is attended in at the center
apart from the language of its notices, and only one that an active counter
of the center serves the service in (Spanish always): any other would be
refused at check-in, so booking, confirming and joining the waitlist refuse
it (409, `language_unavailable`) with nothing written."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.errors import Conflict, Invalid
from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.appointments.testing import DNI, OTHER_DNI
from mac.core.models import AuditLog, Event
from mac.notify.models import Message
from mac.queueing import cache
from mac.queueing.models import Counter
from mac.queueing.testing import make_counter

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)
IN_QUECHUA = (
    "Ningún módulo de Centro MAC Lima Norte atiende «Duplicado de DNI» en quechua. Elige otra"
    " lengua de atención (en castellano siempre te atienden) u otro Centro MAC."
)


def written() -> tuple:
    return (
        list(Slot.objects.order_by("pk").values_list("taken", flat=True)),
        list(Booking.objects.order_by("pk").values_list("status", "attention_language")),
        WaitlistEntry.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
        Message.objects.count(),
    )


def first_slot(setup) -> Slot:
    return actions.open_day(setup.center, setup.service, DAY)[0]


def book(setup, slot, **kw) -> Booking:
    return actions.book(
        slot.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe", **kw
    )


def quechua_counter(setup) -> None:
    make_counter(setup.center, setup.personas.reniec, 2, [setup.service], languages=["es", "qu"])


class TestBook:
    def test_it_is_attended_in_spanish_unless_asked_whatever_the_notices(self, setup):
        booking = book(setup, first_slot(setup), language="qu")

        stored = Booking.objects.get(pk=booking.pk)
        assert (stored.language, stored.attention_language) == ("qu", "es")

    def test_it_refuses_a_language_no_counter_serves_the_service_in(self, setup):
        slot = first_slot(setup)
        before = written()

        with pytest.raises(Conflict) as refused:
            book(setup, slot, language="qu", attention_language="qu")

        assert (refused.value.status, refused.value.code) == (409, "language_unavailable")
        assert refused.value.message == IN_QUECHUA
        assert written() == before

    def test_it_books_a_language_a_counter_serves_it_in(self, setup):
        quechua_counter(setup)

        booking = book(setup, first_slot(setup), attention_language="qu")

        stored = Booking.objects.get(pk=booking.pk)
        assert (stored.status, stored.language, stored.attention_language) == (
            "confirmed",
            "es",
            "qu",
        )

    def test_a_disabled_counters_language_does_not_count(self, setup):
        counter = make_counter(
            setup.center, setup.personas.reniec, 2, [setup.service], languages=["es", "qu"]
        )
        Counter.objects.filter(pk=counter.pk).update(active=False)
        cache.clear()  # as the back office's save does
        slot = first_slot(setup)
        before = written()

        with pytest.raises(Conflict) as refused:
            book(setup, slot, attention_language="qu")

        assert refused.value.code == "language_unavailable"
        assert written() == before

    def test_it_refuses_a_language_it_does_not_know(self, setup):
        slot = first_slot(setup)
        before = written()

        with pytest.raises(Invalid) as refused:
            book(setup, slot, attention_language="en")

        assert (refused.value.status, refused.value.code) == (422, "attention_language")
        assert refused.value.message == "Esa lengua de atención no existe."
        assert written() == before


class TestConfirm:
    def test_it_refuses_the_language_and_keeps_the_hold(self, setup):
        held = actions.hold(first_slot(setup).pk, setup.service)
        before = written()

        with pytest.raises(Conflict) as refused:
            actions.confirm(
                held.token,
                document_type="dni",
                document_number=DNI,
                email="a@x.pe",
                attention_language="qu",
            )

        assert (refused.value.code, refused.value.message) == ("language_unavailable", IN_QUECHUA)
        assert written() == before
        held.refresh_from_db()
        assert (held.status, held.document_number, held.attention_language) == ("held", "", "es")

    def test_it_confirms_a_served_language(self, setup):
        quechua_counter(setup)
        held = actions.hold(first_slot(setup).pk, setup.service)

        booking = actions.confirm(
            held.token,
            document_type="dni",
            document_number=DNI,
            email="a@x.pe",
            language="es",
            attention_language="qu",
        )

        booking.refresh_from_db()
        assert (booking.status, booking.language, booking.attention_language) == (
            "confirmed",
            "es",
            "qu",
        )


class TestWaitlist:
    def join(self, setup, **kw) -> WaitlistEntry:
        return actions.join_waitlist(
            setup.center,
            setup.service,
            DAY,
            document_type="dni",
            document_number=OTHER_DNI,
            email="b@x.pe",
            **kw,
        )

    def test_it_refuses_a_language_no_counter_serves(self, setup):
        before = written()

        with pytest.raises(Conflict) as refused:
            self.join(setup, attention_language="qu")

        assert (refused.value.code, refused.value.message) == ("language_unavailable", IN_QUECHUA)
        assert written() == before

    def test_the_offer_keeps_the_language_chosen_when_joining(self, setup):
        # given: a Quechua speaker waits for a day whose slot is booked
        quechua_counter(setup)
        slot = first_slot(setup)
        booking = book(setup, slot)
        entry = self.join(setup, language="es", attention_language="qu")

        # when the place is freed
        actions.cancel(booking.code, document_type="dni", document_number=DNI)

        # then the place is held for them, to be attended in Quechua
        entry.refresh_from_db()
        assert entry.booking is not None
        offer = entry.booking
        assert (offer.status, offer.language, offer.attention_language) == ("held", "es", "qu")

        # and a confirmation that names no language keeps it
        confirmed = actions.confirm(
            offer.token, document_type="dni", document_number=OTHER_DNI, email="b@x.pe"
        )
        confirmed.refresh_from_db()
        assert (confirmed.status, confirmed.attention_language) == ("confirmed", "qu")
