"""A check-in whose ticket would be in a language (the booking's language of
attention, or the one asked at check-in) no counter of the center has for
the service is refused like any ticket (409, `language_unavailable`),
worded for where the citizen is, and the booking stays unchecked-in with
nothing written; staff may check it in in Spanish (the desk's form, the
API's `language`)."""

import datetime as dt

import pytest
from django.test import Client

from mac.accounts.models import Role
from mac.appointments import actions
from mac.appointments.errors import Conflict
from mac.appointments.models import Booking
from mac.appointments.testing import DNI
from mac.core.models import AuditLog, Event
from mac.core.testing import PASSWORD, make_user
from mac.queueing import actions as queue
from mac.queueing.models import Ticket, TicketSequence, Visit
from mac.queueing.testing import make_counter

pytestmark = pytest.mark.django_db

FOR_CITIZEN = (
    "En este Centro MAC ningún módulo atiende «Duplicado de DNI» en quechua. Puedes continuar"
    " en castellano, o pedir ayuda en orientación."
)
FOR_STAFF = (
    "Ningún módulo de Centro MAC Lima Norte atiende «Duplicado de DNI» en quechua: el ticket"
    " esperaría sin que nadie lo llame. Emítalo en castellano o coordine un intérprete."
)


@pytest.fixture
def booking(setup, clock, django_capture_on_commit_callbacks):
    """A booking to be attended in Quechua, due in five minutes; the center's
    DNI counter that spoke Quechua was disabled since (the other one speaks
    Spanish only)."""
    quechua = make_counter(
        setup.center, setup.personas.reniec, 1, [setup.service], languages=["es", "qu"]
    )
    slot = next(iter(actions.open_day(setup.center, setup.service, dt.date(2026, 12, 1))))
    booking = actions.book(
        slot.pk,
        setup.service,
        document_type="dni",
        document_number=DNI,
        email="a@x.pe",
        language="qu",
        attention_language="qu",
    )
    quechua.active = False
    with django_capture_on_commit_callbacks(execute=True):
        queue.save_counter(quechua, by=None, changed_fields=["active"])
    clock.move_to(slot.start - dt.timedelta(minutes=5))
    return booking


def written() -> tuple:
    return (
        Visit.objects.count(),
        Ticket.objects.count(),
        TicketSequence.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
    )


def unchecked(booking: Booking) -> tuple:
    booking.refresh_from_db()
    return (booking.status, booking.ticket_id, booking.checked_in_at)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("kiosk", FOR_CITIZEN),
        ("qr", FOR_CITIZEN),
        ("orientation", FOR_STAFF),
        ("api", FOR_STAFF),
    ],
)
def test_it_is_refused_where_the_citizen_is_and_nothing_changes(booking, where, message):
    before = written()

    with pytest.raises(Conflict) as refused:
        actions.check_in(booking.code, document_type="dni", document_number=DNI, source=where)

    assert (refused.value.status, refused.value.code) == (409, "language_unavailable")
    assert refused.value.message == message
    assert unchecked(booking) == ("confirmed", None, None)
    assert written() == before


def test_it_checks_in_in_spanish_when_asked(booking):
    checked = actions.check_in(
        booking.code, document_type="dni", document_number=DNI, source="orientation", language="es"
    )
    assert checked.status == "checked_in"
    assert checked.ticket is not None
    assert (checked.ticket.language, checked.ticket.source) == ("es", "appointment")


def test_it_checks_in_in_quechua_where_a_counter_speaks_it(setup, booking):
    make_counter(setup.center, setup.personas.reniec, 2, [setup.service], languages=["es", "qu"])
    checked = actions.check_in(booking.code, document_type="dni", document_number=DNI)
    assert checked.ticket is not None
    assert checked.ticket.language == "qu"


class TestCheckInApi:
    def post(self, client: Client, booking: Booking, **extra: str):
        body = {"document_type": "dni", "document_number": DNI, **extra}
        return client.post(
            f"/api/v1/appointments/{booking.code}/check-in", body, content_type="application/json"
        )

    @pytest.fixture
    def staff(self, setup, client: Client) -> Client:
        make_user("orienta", Role.ORIENTATION, center=setup.center)
        client.login(username="orienta", password=PASSWORD)
        return client

    def test_it_answers_409_and_changes_nothing(self, booking, staff: Client) -> None:
        before = written()

        response = self.post(staff, booking)

        assert response.status_code == 409
        assert response.json() == {"detail": FOR_STAFF, "code": "language_unavailable"}
        assert unchecked(booking) == ("confirmed", None, None)
        assert written() == before

    def test_it_checks_in_in_the_language_sent(self, booking, staff: Client) -> None:
        response = self.post(staff, booking, language="es")

        assert response.status_code == 200
        assert response.json()["status"] == "checked_in"
        assert Ticket.objects.get().language == "es"

    def test_it_refuses_a_language_it_does_not_know(self, booking, staff: Client) -> None:
        response = self.post(staff, booking, language="en")

        assert response.status_code == 422
        assert unchecked(booking) == ("confirmed", None, None)
