"""A service that no active counter of the center has among its skills is not
booked there: its check-in would be refused (the queue's `service_unstaffed`).
Listing a day's slots, holding, booking, confirming a hold, rescheduling and
joining the waitlist are refused (409, `service_unstaffed`) with nothing
written, and a place freed meanwhile is offered to nobody. Rescheduling says
it to the citizen who holds the booking: the center cannot attend it."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.errors import Conflict
from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.appointments.testing import DNI, OTHER_DNI
from mac.core.models import AuditLog, Event
from mac.notify.models import Message
from mac.queueing import actions as queue
from mac.queueing.models import Counter

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)
REFUSAL = (
    "Por ahora ningún módulo de Centro MAC Lima Norte atiende «Duplicado de DNI»: no puedes"
    " reservar una cita de este trámite en ese centro. Elige otro Centro MAC."
)
FOR_HOLDER = (
    "Por ahora ningún módulo de Centro MAC Lima Norte atiende «Duplicado de DNI»: el centro no"
    " podrá atender tu cita. Puedes anularla y reservar otra en otro Centro MAC; si no, el"
    " centro la anulará y te avisará."
)


@pytest.fixture
def disable_counter(setup, django_capture_on_commit_callbacks):
    """Disable the center's only counter of the service in the back office
    (its event drops the cached skills)."""

    def disable() -> None:
        counter = Counter.objects.get(center=setup.center)
        counter.active = False
        with django_capture_on_commit_callbacks(execute=True):
            queue.save_counter(counter, by=None, changed_fields=["active"])

    return disable


def written() -> tuple:
    return (
        Slot.objects.count(),
        list(Slot.objects.order_by("pk").values_list("taken", flat=True)),
        list(Booking.objects.order_by("pk").values_list("status", "slot_id", "sequence")),
        WaitlistEntry.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
        Message.objects.count(),
    )


def assert_refused(action, message: str = REFUSAL) -> None:
    before = written()
    with pytest.raises(Conflict) as refused:
        action()
    assert (refused.value.status, refused.value.code) == (409, "service_unstaffed")
    assert refused.value.message == message
    assert written() == before


def book(setup, slot, number=DNI):
    return actions.book(
        slot.pk, setup.service, document_type="dni", document_number=number, email="a@x.pe"
    )


def test_it_lists_no_slots_and_stores_none(setup, disable_counter):
    disable_counter()
    assert_refused(lambda: actions.open_day(setup.center, setup.service, DAY))
    assert Slot.objects.count() == 0


def test_it_holds_no_place_of_a_slot_listed_before(setup, disable_counter):
    slot = actions.open_day(setup.center, setup.service, DAY)[0]
    disable_counter()
    assert_refused(lambda: actions.hold(slot.pk, setup.service, client_address="198.51.100.7"))


def test_it_books_nothing(setup, disable_counter):
    slot = actions.open_day(setup.center, setup.service, DAY)[0]
    disable_counter()
    assert_refused(lambda: book(setup, slot))


def test_it_does_not_confirm_a_hold_made_before(setup, disable_counter):
    slot = actions.open_day(setup.center, setup.service, DAY)[0]
    held = actions.hold(slot.pk, setup.service)
    disable_counter()

    assert_refused(
        lambda: actions.confirm(
            held.token, document_type="dni", document_number=DNI, email="a@x.pe"
        )
    )
    held.refresh_from_db()
    assert (held.status, held.document_number, held.email) == ("held", "", "")


def test_it_does_not_reschedule(setup, disable_counter):
    first, second = actions.open_day(setup.center, setup.service, DAY)[:2]
    booking = book(setup, first)
    disable_counter()

    assert_refused(
        lambda: actions.reschedule(
            booking.code, document_type="dni", document_number=DNI, slot_id=second.pk
        ),
        FOR_HOLDER,
    )
    booking.refresh_from_db()
    assert (booking.slot_id, booking.sequence, booking.status) == (first.pk, 0, "confirmed")


def test_it_puts_nobody_on_the_waitlist(setup, disable_counter):
    disable_counter()
    assert_refused(
        lambda: actions.join_waitlist(
            setup.center,
            setup.service,
            DAY,
            document_type="dni",
            document_number=DNI,
            email="a@x.pe",
        )
    )


def test_a_freed_place_is_offered_to_nobody(setup, disable_counter):
    # given: someone waits for the day of a booked slot, then the counter is disabled
    slot = actions.open_day(setup.center, setup.service, DAY)[0]
    booking = book(setup, slot)
    entry = actions.join_waitlist(
        setup.center,
        setup.service,
        DAY,
        document_type="dni",
        document_number=OTHER_DNI,
        email="b@x.pe",
    )
    disable_counter()

    # when: the booking is cancelled (still allowed)
    actions.cancel(booking.code, document_type="dni", document_number=DNI)

    # then: its place stays free, nobody is offered it (a confirmation would be refused)
    entry.refresh_from_db()
    assert (entry.status, entry.booking_id) == ("waiting", None)
    assert list(Booking.objects.values_list("status", flat=True)) == ["cancelled"]
    slot.refresh_from_db()
    assert slot.taken == 0
