"""Check-in issues the ticket in the booking's language of attention, not in
the language of its notices: a citizen who booked on the Quechua portal at a
center where nobody serves the service in Quechua is attended in Spanish,
as they chose when booking, instead of being refused at the kiosk."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.testing import DNI
from mac.queueing.testing import make_counter

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def book_and_arrive(setup, clock, *, language="es", attention_language="es"):
    slot = actions.open_day(setup.center, setup.service, TODAY)[0]
    booking = actions.book(
        slot.pk,
        setup.service,
        document_type="dni",
        document_number=DNI,
        email="a@x.pe",
        language=language,
        attention_language=attention_language,
    )
    clock.move_to(slot.start - dt.timedelta(minutes=5))
    return booking


def test_notices_in_quechua_do_not_make_a_quechua_ticket(setup, clock):
    # given: the center's only counter of the service speaks Spanish
    booking = book_and_arrive(setup, clock, language="qu")

    checked = actions.check_in(booking.code, document_type="dni", document_number=DNI)

    assert checked.status == "checked_in"
    assert checked.ticket is not None
    assert (checked.ticket.language, checked.ticket.visit.language) == ("es", "es")
    assert (checked.language, checked.attention_language) == ("qu", "es")


def test_the_ticket_speaks_the_language_of_attention(setup, clock):
    make_counter(setup.center, setup.personas.reniec, 2, [setup.service], languages=["es", "qu"])
    booking = book_and_arrive(setup, clock, language="es", attention_language="qu")

    checked = actions.check_in(booking.code, document_type="dni", document_number=DNI)

    assert checked.ticket is not None
    assert (checked.ticket.language, checked.ticket.visit.language) == ("qu", "qu")


def test_a_language_chosen_at_check_in_goes_first(setup, clock):
    make_counter(setup.center, setup.personas.reniec, 2, [setup.service], languages=["es", "qu"])
    booking = book_and_arrive(setup, clock, attention_language="qu")

    checked = actions.check_in(
        booking.code, document_type="dni", document_number=DNI, source="orientation", language="es"
    )

    assert checked.ticket is not None
    assert checked.ticket.language == "es"
