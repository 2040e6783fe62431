"""A check-in whose service no active counter of the center has among its
skills is refused like any ticket (409, `service_unstaffed`), worded for
where the citizen is; the booking stays unchecked-in with nothing written."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.errors import Conflict
from mac.appointments.testing import DNI
from mac.queueing import actions as queue
from mac.queueing.models import Counter

from .test_check_in_language import unchecked, written

pytestmark = pytest.mark.django_db

FOR_CITIZEN = (
    "Hoy nadie atiende «Duplicado de DNI» en Centro MAC Lima Norte. Pregunta en orientación:"
    " te dirán dónde puedes hacer este trámite."
)
FOR_STAFF = (
    "Ningún módulo habilitado de Centro MAC Lima Norte tiene «Duplicado de DNI» entre sus"
    " servicios: el ticket esperaría sin que nadie lo llame. Asigne el servicio a un módulo en"
    " la administración, o indique al ciudadano otro Centro MAC que lo atienda."
)


@pytest.fixture
def booking(setup, clock, django_capture_on_commit_callbacks):
    """A booking due in five minutes; the center's only DNI counter was
    disabled in the back office since."""
    slot = next(iter(actions.open_day(setup.center, setup.service, dt.date(2026, 12, 1))))
    booking = actions.book(
        slot.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    counter = Counter.objects.get(center=setup.center)
    counter.active = False
    with django_capture_on_commit_callbacks(execute=True):
        queue.save_counter(counter, by=None, changed_fields=["active"])
    clock.move_to(slot.start - dt.timedelta(minutes=5))
    return booking


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

    assert (refused.value.status, refused.value.code) == (409, "service_unstaffed")
    assert refused.value.message == message
    assert written() == before
    assert unchecked(booking) == ("confirmed", None, None)


def test_it_is_refused_before_the_language(booking):
    # in Quechua too, the service nobody serves is what the citizen hears
    with pytest.raises(Conflict) as refused:
        actions.check_in(
            booking.code, document_type="dni", document_number=DNI, source="kiosk", language="qu"
        )
    assert (refused.value.code, refused.value.message) == ("service_unstaffed", FOR_CITIZEN)
