"""A freed place on a full day is held for the first person waiting and
offered by message; an offer that lapses passes to the next."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.errors import Conflict, Invalid
from mac.appointments.models import WaitlistEntry
from mac.appointments.testing import DNI, OTHER_DNI
from mac.notify import sms
from mac.notify.testing import run_tasks

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)
THIRD = "44556677"


@pytest.fixture
def full_day(setup):
    """A day with one slot, booked."""
    from mac.centers.models import OpeningException

    OpeningException.objects.create(
        center=setup.center,
        date=DAY,
        closed=False,
        opens=dt.time(9, 0),
        closes=dt.time(9, 20),
        reason="Media jornada",
    )
    (slot,) = actions.open_day(setup.center, setup.service, DAY)
    booking = actions.book(
        slot.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    return slot, booking


def join(setup, number, phone):
    return actions.join_waitlist(
        setup.center, setup.service, DAY, document_type="dni", document_number=number, phone=phone
    )


def test_a_cancellation_offers_the_place_to_the_first_in_line(
    setup, full_day, clock, django_capture_on_commit_callbacks
):
    slot, booking = full_day
    first, second = join(setup, OTHER_DNI, "987000001"), join(setup, THIRD, "987000002")
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel(booking.code, document_type="dni", document_number=DNI)
    run_tasks()
    first.refresh_from_db()
    second.refresh_from_db()
    offer = first.booking
    assert (first.status, second.status) == ("offered", "waiting")
    assert (offer.status, offer.channel, offer.document_number) == ("held", "waitlist", OTHER_DNI)
    assert [m.to for m in sms.outbox] == ["+51987000001"]
    # the person confirms with their document
    confirmed = actions.confirm(
        offer.token, document_type="dni", document_number=OTHER_DNI, phone="987000001"
    )
    first.refresh_from_db()
    slot.refresh_from_db()
    assert (confirmed.status, first.status, slot.taken) == ("confirmed", "booked", 1)


def test_a_lapsed_offer_passes_to_the_next_in_line(
    setup, full_day, clock, django_capture_on_commit_callbacks
):
    slot, booking = full_day
    first, second = join(setup, OTHER_DNI, "987000001"), join(setup, THIRD, "987000002")
    actions.cancel(booking.code, document_type="dni", document_number=DNI)
    first.refresh_from_db()
    clock.move_to(first.booking.hold_until)
    run_tasks()
    first.refresh_from_db()
    second.refresh_from_db()
    slot.refresh_from_db()
    assert (first.status, second.status, slot.taken) == ("lapsed", "offered", 1)
    assert second.booking.document_number == THIRD


def test_joining_twice_is_refused(setup, full_day):
    join(setup, OTHER_DNI, "987000001")
    with pytest.raises(Conflict) as refused:
        join(setup, OTHER_DNI, "987000001")
    assert refused.value.code == "already_waiting"
    assert WaitlistEntry.objects.count() == 1


def test_joining_with_a_landline_is_refused(setup, full_day):
    with pytest.raises(Invalid) as refused:
        join(setup, OTHER_DNI, "014567890")
    assert refused.value.code == "invalid_phone"
    assert WaitlistEntry.objects.count() == 0


def test_an_entry_kept_with_a_landline_does_not_break_a_cancellation(
    setup, full_day, clock, django_capture_on_commit_callbacks
):
    """Entries joined before numbers had to be mobiles: the offer goes by
    email without the landline, or to the next person when nothing is left."""
    slot, booking = full_day
    landline_only = WaitlistEntry.objects.create(
        center=setup.center,
        service=setup.service,
        date=DAY,
        document_type="dni",
        document_number=OTHER_DNI,
        phone="+5114567890",
        created_at=dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.UTC),
    )
    with_email = WaitlistEntry.objects.create(
        center=setup.center,
        service=setup.service,
        date=DAY,
        document_type="dni",
        document_number=THIRD,
        email="c@x.pe",
        phone="+5114567891",
        created_at=dt.datetime(2026, 12, 1, 13, 1, tzinfo=dt.UTC),
    )
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = actions.cancel(booking.code, document_type="dni", document_number=DNI)
    run_tasks()
    landline_only.refresh_from_db()
    with_email.refresh_from_db()
    slot.refresh_from_db()
    offer = with_email.booking
    assert offer is not None
    assert (cancelled.status, landline_only.status, with_email.status) == (
        "cancelled",
        "waiting",
        "offered",
    )
    assert (offer.status, offer.document_number, offer.email, offer.phone) == (
        "held",
        THIRD,
        "c@x.pe",
        "",
    )
    assert (slot.taken, sms.outbox) == (1, [])


def book_later(setup, number):
    """A booking for the same service on the next day."""
    slot = actions.open_day(setup.center, setup.service, DAY + dt.timedelta(days=1))[0]
    return actions.book(
        slot.pk, setup.service, document_type="dni", document_number=number, email="w@x.pe"
    )


def test_an_offer_skips_a_person_whose_confirmation_a_limit_would_refuse(
    setup, full_day, clock, django_capture_on_commit_callbacks
):
    slot, booking = full_day
    first = join(setup, OTHER_DNI, "987000001")
    book_later(setup, OTHER_DNI)  # now holds a pending booking for the service
    second = join(setup, THIRD, "987000002")
    with django_capture_on_commit_callbacks(execute=True):
        actions.cancel(booking.code, document_type="dni", document_number=DNI)
    run_tasks()
    first.refresh_from_db()
    second.refresh_from_db()
    slot.refresh_from_db()
    assert (first.status, first.booking_id, second.status) == ("waiting", None, "offered")
    assert second.booking is not None
    assert (second.booking.document_number, slot.taken) == (THIRD, 1)
    assert [m.to for m in sms.outbox] == ["+51987000002"]
    confirmed = actions.confirm(
        second.booking.token, document_type="dni", document_number=THIRD, phone="987000002"
    )
    assert confirmed.status == "confirmed"


def test_joining_with_a_pending_booking_for_the_service_is_refused(setup, full_day):
    from mac.appointments.errors import LimitReached
    from mac.core.models import AuditLog

    book_later(setup, OTHER_DNI)
    with pytest.raises(LimitReached) as refused:
        join(setup, OTHER_DNI, "987000001")
    assert refused.value.code == "limit_document_service"
    assert WaitlistEntry.objects.count() == 0
    assert AuditLog.objects.filter(action="appointments.limit_reached").count() == 1
