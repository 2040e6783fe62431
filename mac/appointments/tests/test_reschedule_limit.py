"""A citizen reschedules one booking at most MAX_RESCHEDULES times (each move
emails and texts the contact given, which may be somebody else's); staff are
not limited. A refusal changes nothing and sends nothing."""

import datetime as dt

import pytest

from mac.accounts.models import Role
from mac.appointments import actions
from mac.appointments.errors import LimitReached
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import DNI
from mac.core.models import AuditLog
from mac.core.testing import make_user
from mac.notify.models import Message

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)
PERSON = {"document_type": "dni", "document_number": DNI}


@pytest.fixture
def day_slots(setup):
    return actions.open_day(setup.center, setup.service, DAY)


@pytest.fixture
def booking(setup, day_slots):
    return actions.book(
        day_slots[0].pk, setup.service, document_type="dni", document_number=DNI, phone="987654321"
    )


def move(booking, slot, **kw):
    return actions.reschedule(
        booking.code, document_type="dni", document_number=DNI, slot_id=slot.pk, **kw
    )


def taken():
    return dict(Slot.objects.values_list("pk", "taken"))


def test_it_refuses_a_fourth_reschedule_with_nothing_changed(booking, day_slots):
    # given three moves
    for slot in (day_slots[1], day_slots[2], day_slots[1]):
        move(booking, slot)
    before = (taken(), Message.objects.count())

    # when
    with pytest.raises(LimitReached) as refused:
        move(booking, day_slots[2])

    # then
    assert (refused.value.status, refused.value.code) == (409, "limit_reschedules")
    assert refused.value.message == (
        "Esta cita ya se reprogramó 3 veces. Para cambiarla otra vez, anúlala y reserva una "
        "nueva, o llama a Aló MAC."
    )
    booking.refresh_from_db()
    assert (booking.slot_id, booking.sequence, booking.status) == (
        day_slots[1].pk,
        3,
        Booking.Status.CONFIRMED,
    )
    assert (taken(), Message.objects.count()) == before
    hit = AuditLog.objects.filter(action="appointments.limit_reached").get()
    assert hit.data == {"limit": "reschedules", "booking": booking.pk}


def test_it_takes_the_limit_from_the_settings(setup, settings, booking, day_slots):
    # given
    settings.APPOINTMENTS = {"POW_REQUIRED": False, "MAX_RESCHEDULES": 1}
    move(booking, day_slots[1])

    # when / then
    with pytest.raises(LimitReached, match="ya se reprogramó 1 veces"):
        move(booking, day_slots[2])


def test_it_does_not_limit_staff(setup, booking, day_slots):
    # given
    operator = make_user("olga", Role.CALL_CENTER)
    for slot in (day_slots[1], day_slots[2], day_slots[1]):
        move(booking, slot)

    # when
    moved = move(booking, day_slots[3], operator=operator)

    # then
    assert (moved.slot_id, moved.sequence) == (day_slots[3].pk, 4)


def test_the_api_answers_409_with_the_limits_code(setup, day_slots, client, booking):
    # given
    for slot in (day_slots[1], day_slots[2], day_slots[1]):
        move(booking, slot)
    before = (taken(), Message.objects.count())

    # when
    response = client.post(
        f"/api/v1/appointments/{booking.code}/reschedule",
        {**PERSON, "slot": day_slots[2].pk},
        content_type="application/json",
    )

    # then
    assert (response.status_code, response.json()["code"]) == (409, "limit_reschedules")
    booking.refresh_from_db()
    assert (booking.slot_id, booking.sequence) == (day_slots[1].pk, 3)
    assert (taken(), Message.objects.count()) == before
