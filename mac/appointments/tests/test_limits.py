"""No hoarding: limits per document, per contact and per client address, and
a restriction after repeated no-shows. Each refusal is audited and changes
nothing else."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.errors import LimitReached
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import DNI, OTHER_DNI, agenda
from mac.core.models import AuditLog
from mac.queueing.testing import make_counter, queue_service

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)


def slots(setup, service=None, day=DAY):
    return actions.open_day(setup.center, service or setup.service, day)


def book(setup, slot, number=DNI, **kw):
    kw.setdefault("email", "ana@example.pe")
    return actions.book(
        slot.pk, kw.pop("service", setup.service), document_type="dni", document_number=number, **kw
    )


def assert_refused(code, call, *, slot):
    bookings, taken = Booking.objects.count(), Slot.objects.get(pk=slot.pk).taken
    with pytest.raises(LimitReached) as refused:
        call()
    assert refused.value.code == code
    assert refused.value.status == 409
    assert (Booking.objects.count(), Slot.objects.get(pk=slot.pk).taken) == (bookings, taken)
    hit = AuditLog.objects.filter(action="appointments.limit_reached").latest("pk")
    return hit


def test_one_pending_booking_per_document_and_service(setup):
    first, second = slots(setup)[:2]
    book(setup, first)
    hit = assert_refused("limit_document_service", lambda: book(setup, second), slot=second)
    assert hit.data == {
        "document_type": "dni",
        "document": "****7410",
        "service": setup.service.pk,
        "limit": "document_service",
    }


def test_a_cancelled_booking_no_longer_counts(setup):
    first, second = slots(setup)[:2]
    booking = book(setup, first)
    actions.cancel(booking.code, document_type="dni", document_number=DNI)
    assert book(setup, second).status == "confirmed"


def test_at_most_three_pending_bookings_with_one_entity(setup, personas):
    services = [setup.service] + [
        queue_service(personas.reniec, f"Trámite {n}", setup.center) for n in range(3)
    ]
    for service in services[1:]:
        agenda(setup.center, service)
    make_counter(setup.center, personas.reniec, 11, services[1:])
    for service in services[:3]:
        book(setup, slots(setup, service)[0], service=service)
    target = slots(setup, services[3])[0]
    assert_refused(
        "limit_document_entity", lambda: book(setup, target, service=services[3]), slot=target
    )


def test_one_contact_serves_the_pending_bookings_of_at_most_four_people(setup):
    people = [DNI, "40506070", "44556677", "41234567"]
    day_slots = slots(setup)
    for slot, number in zip(day_slots[:4], people, strict=True):
        book(setup, slot, number=number, email="", phone="987654321")
    hit = assert_refused(
        "limit_contact",
        lambda: book(setup, day_slots[4], number="42345678", email="", phone="+51 987 654 321"),
        slot=day_slots[4],
    )
    assert hit.data["limit"] == "contact"


def test_one_client_address_starts_at_most_the_daily_number_of_bookings(setup, settings):
    settings.APPOINTMENTS = {"MAX_PER_ADDRESS_DAY": 2, "POW_REQUIRED": False}
    day_slots = slots(setup)
    actions.hold(day_slots[0].pk, setup.service, client_address="198.51.100.7")
    actions.hold(day_slots[1].pk, setup.service, client_address="198.51.100.7")
    hit = assert_refused(
        "limit_address",
        lambda: actions.hold(day_slots[2].pk, setup.service, client_address="198.51.100.7"),
        slot=day_slots[2],
    )
    assert hit.data == {"limit": "address", "address": "198.51.100.7"}
    # another address is not affected
    assert (
        actions.hold(day_slots[2].pk, setup.service, client_address="198.51.100.8").status == "held"
    )


def test_an_operator_on_the_phone_is_not_limited_by_address(setup, settings, personas):
    from mac.accounts.models import Role
    from mac.core.testing import make_user

    settings.APPOINTMENTS = {"MAX_PER_ADDRESS_DAY": 1, "POW_REQUIRED": False}
    operator = make_user("olga", Role.CALL_CENTER)
    day_slots = slots(setup)
    for slot, number in zip(day_slots[:3], [DNI, OTHER_DNI, "44556677"], strict=True):
        booking = book(
            setup,
            slot,
            number=number,
            channel="phone",
            operator=operator,
            client_address="10.0.0.9",
        )
        assert (booking.channel, booking.operator) == ("phone", operator)


def test_repeated_no_shows_restrict_new_bookings(setup, clock):
    # given two bookings the citizen missed
    for day in (dt.date(2026, 12, 2), dt.date(2026, 12, 3)):
        booking = book(setup, slots(setup, day=day)[0])
        clock.move_to(booking.slot.start + dt.timedelta(minutes=31))
        assert actions.mark_no_show(booking.pk) is True
    # when they try again a week later
    clock.move_to(dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC))
    target = slots(setup, day=dt.date(2026, 12, 11))[0]
    hit = assert_refused("limit_no_shows", lambda: book(setup, target), slot=target)
    assert hit.data["limit"] == "no_shows"
    # then after the restriction (30 days from the last no-show) they can
    clock.move_to(dt.datetime(2027, 1, 3, 12, 0, tzinfo=dt.UTC))
    assert book(setup, slots(setup, day=dt.date(2027, 1, 5))[0]).status == "confirmed"
