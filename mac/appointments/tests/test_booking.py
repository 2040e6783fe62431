"""Holding, confirming and booking a place; every refusal is a clear error
with nothing changed."""

import datetime as dt

import pytest
from django.core import mail

from mac.appointments import actions
from mac.appointments.errors import Conflict, Forbidden, Invalid, NotFound
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import DNI, OTHER_DNI, lima
from mac.core.calendar import LIMA
from mac.core.models import AuditLog, NonWorkingDay
from mac.queueing import cache as queue_cache

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)  # a Wednesday


def first_slot(setup, day=DAY):
    return actions.open_day(setup.center, setup.service, day)[0]


def test_a_day_lists_its_slots_from_opening_to_closing(setup):
    # when (the builders' centers open 08:30-18:30 on weekdays; 20-minute slots)
    slots = actions.open_day(setup.center, setup.service, DAY)
    # then
    assert len(slots) == 30
    assert slots[0].start.astimezone(LIMA) == lima(DAY, 8, 30)
    assert slots[-1].start.astimezone(LIMA) == lima(DAY, 18, 10)
    assert {(s.capacity, s.taken) for s in slots} == {(1, 0)}
    # and listing again stores nothing more
    actions.open_day(setup.center, setup.service, DAY)
    assert Slot.objects.count() == 30


def test_hold_then_confirm_books_the_place_and_sends_the_confirmation(
    setup, django_capture_on_commit_callbacks
):
    from mac.notify.testing import run_tasks

    slot = first_slot(setup)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        held = actions.hold(slot.pk, setup.service, client_address="203.0.113.5")
    assert held.status == Booking.Status.HELD
    assert held.hold_until == dt.datetime(2026, 12, 1, 14, 7, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        booking = actions.confirm(
            held.token, document_type="dni", document_number=DNI, email="Ana@Example.pe"
        )
    run_tasks()
    # then
    slot.refresh_from_db()
    assert slot.taken == 1
    assert (booking.status, booking.email, booking.document_number) == (
        "confirmed",
        "ana@example.pe",
        DNI,
    )
    assert len(booking.code) == 8
    assert [m.to for m in mail.outbox] == [["ana@example.pe"]]
    assert booking.code in mail.outbox[0].body
    (name, _content, mimetype) = mail.outbox[0].attachments[0]
    assert (name, mimetype) == ("cita.ics", "text/calendar; method=REQUEST")
    assert [a.action for a in AuditLog.objects.order_by("pk")] == [
        "appointments.hold",
        "appointments.confirm",
    ]


def test_a_full_slot_refuses_a_second_booking_and_changes_nothing(setup):
    slot = first_slot(setup)
    actions.book(
        slot.pk, setup.service, document_type="dni", document_number=DNI, phone="987654321"
    )
    before = Booking.objects.count()
    # when / then
    with pytest.raises(Conflict) as refused:
        actions.book(
            slot.pk,
            setup.service,
            document_type="dni",
            document_number=OTHER_DNI,
            phone="987654322",
        )
    assert refused.value.code == "slot_full"
    assert refused.value.status == 409
    slot.refresh_from_db()
    assert (slot.taken, Booking.objects.count()) == (1, before)


def test_a_hold_that_ran_out_frees_its_place(setup, clock):
    slot = first_slot(setup)
    held = actions.hold(slot.pk, setup.service)
    # when the hold's minutes pass
    clock.shift(dt.timedelta(minutes=8))
    # then the day shows the place free again, and someone else gets it
    assert actions.open_day(setup.center, setup.service, DAY)[0].available == 1
    other = actions.book(
        slot.pk, setup.service, document_type="dni", document_number=OTHER_DNI, email="b@x.pe"
    )
    held.refresh_from_db()
    slot.refresh_from_db()
    assert (held.status, other.status, slot.taken) == ("expired", "confirmed", 1)


def test_an_expired_hold_cannot_be_confirmed(setup, clock):
    held = actions.hold(first_slot(setup).pk, setup.service)
    clock.shift(dt.timedelta(minutes=7))
    with pytest.raises(Conflict) as refused:
        actions.confirm(held.token, document_type="dni", document_number=DNI, email="a@x.pe")
    assert refused.value.code == "hold_expired"
    held.refresh_from_db()
    assert (held.status, held.document_number, held.confirmed_at) == ("held", "", None)


def test_a_double_confirm_is_refused(setup):
    held = actions.hold(first_slot(setup).pk, setup.service)
    actions.confirm(held.token, document_type="dni", document_number=DNI, email="a@x.pe")
    with pytest.raises(Conflict) as refused:
        actions.confirm(held.token, document_type="dni", document_number=DNI, email="a@x.pe")
    assert refused.value.code == "already_confirmed"
    held.refresh_from_db()
    assert held.slot.taken == 1


@pytest.mark.parametrize(
    ("label", "day", "code"),
    [
        ("yesterday", dt.date(2026, 11, 30), "past_date"),
        ("a Sunday", dt.date(2026, 12, 6), "closed_day"),
        ("Inmaculada Concepción", dt.date(2026, 12, 8), "closed_day"),
        ("beyond 30 days", dt.date(2027, 1, 4), "beyond_horizon"),
    ],
)
def test_days_without_slots_are_refused_with_a_reason(setup, label, day, code):
    with pytest.raises(Invalid) as refused:
        actions.open_day(setup.center, setup.service, day)
    assert refused.value.code == code, label
    assert Slot.objects.count() == 0


def test_a_declared_non_working_day_is_closed(setup):
    NonWorkingDay.objects.create(date=DAY, name="Día no laborable para el sector público")
    with pytest.raises(Invalid) as refused:
        actions.open_day(setup.center, setup.service, DAY)
    assert refused.value.code == "closed_day"
    assert "no laborable" in refused.value.message


@pytest.mark.parametrize(
    ("label", "doc_type", "number", "email", "phone", "code"),
    [
        ("DNI with a bad check digit", "dni", "101174109", "a@x.pe", "", "invalid_document"),
        ("unknown document type", "libreta", "123", "a@x.pe", "", "invalid_document"),
        ("no contact", "dni", DNI, "", "", "no_contact"),
        ("bad email", "dni", DNI, "no-es-correo", "", "invalid_email"),
        ("bad phone", "dni", DNI, "", "12", "invalid_phone"),
        # a valid Lima landline: notices go by SMS, which it cannot receive
        ("landline", "dni", DNI, "", "014567890", "invalid_phone"),
        ("landline with an email", "dni", DNI, "a@x.pe", "(01) 456-7890", "invalid_phone"),
    ],
)
def test_bad_identity_or_contact_is_refused_and_nothing_is_held(
    setup, label, doc_type, number, email, phone, code
):
    slot = first_slot(setup)
    with pytest.raises(Invalid) as refused:
        actions.book(
            slot.pk,
            setup.service,
            document_type=doc_type,
            document_number=number,
            email=email,
            phone=phone,
        )
    assert refused.value.code == code, label
    slot.refresh_from_db()
    assert (slot.taken, Booking.objects.count()) == (0, 0)


def test_an_unknown_slot_or_one_of_another_service_is_refused(setup, personas):
    from mac.queueing.testing import queue_service

    other = queue_service(personas.reniec, "Rectificación de datos", setup.center)
    slot = first_slot(setup)
    with pytest.raises(NotFound):
        actions.hold(999_999, setup.service)
    with pytest.raises(Invalid) as refused:
        actions.hold(slot.pk, other)
    assert refused.value.code == "slot_service"
    slot.refresh_from_db()
    assert (slot.taken, Booking.objects.count()) == (0, 0)


def test_a_slot_that_already_started_cannot_be_held(setup, clock):
    slot = first_slot(setup)
    clock.move_to(slot.start + dt.timedelta(minutes=1))
    with pytest.raises(Invalid) as refused:
        actions.hold(slot.pk, setup.service)
    assert refused.value.code == "past_slot"
    assert Booking.objects.count() == 0


def test_releasing_a_hold_frees_its_place_at_once(setup):
    slot = first_slot(setup)
    held = actions.hold(slot.pk, setup.service)
    released = actions.release(held.token)
    slot.refresh_from_db()
    assert (released.status, slot.taken) == ("expired", 0)
    with pytest.raises(Conflict) as refused:
        actions.release(held.token)
    assert refused.value.code == "not_held"
    slot.refresh_from_db()
    assert slot.taken == 0


def test_a_waitlist_offer_is_confirmed_only_by_the_person_who_waited(setup):
    from mac.appointments.models import WaitlistEntry

    slot = first_slot(setup)
    booking = actions.book(
        slot.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    actions.join_waitlist(
        setup.center,
        setup.service,
        DAY,
        document_type="dni",
        document_number=OTHER_DNI,
        email="b@x.pe",
    )
    actions.cancel(booking.code, document_type="dni", document_number=DNI)
    offer = WaitlistEntry.objects.get().booking
    assert offer is not None
    with pytest.raises(Forbidden) as refused:
        actions.confirm(
            offer.token, document_type="dni", document_number="44556677", email="c@x.pe"
        )
    assert refused.value.code == "not_your_offer"
    offer.refresh_from_db()
    assert (offer.status, offer.document_number, offer.email) == ("held", OTHER_DNI, "b@x.pe")


def test_a_slot_of_an_inactive_agenda_cannot_be_held(setup):
    slot = first_slot(setup)
    setup.agenda.active = False
    setup.agenda.save()
    with pytest.raises(NotFound) as refused:
        actions.hold(slot.pk, setup.service)
    assert refused.value.code == "no_agenda"
    slot.refresh_from_db()
    assert (slot.taken, Booking.objects.count()) == (0, 0)


def test_a_landline_is_refused_with_its_own_message(setup):
    slot = first_slot(setup)
    held = actions.hold(slot.pk, setup.service)
    with pytest.raises(Invalid) as refused:
        actions.confirm(held.token, document_type="dni", document_number=DNI, phone="014567890")
    assert (refused.value.code, refused.value.message) == (
        "invalid_phone",
        "Ese número no es de celular. Escribe un celular, por ejemplo 987 654 321.",
    )
    held.refresh_from_db()
    slot.refresh_from_db()
    assert (held.status, held.document_number, held.phone, slot.taken) == ("held", "", "", 1)


# -- A slot chosen by its id meets the rules open_day applies now -------------

TODAY = dt.date(2026, 12, 1)  # the clock's day, 09:00 in Lima


def declare_non_working(setup):
    NonWorkingDay.objects.create(date=DAY, name="Día no laborable decretado")
    queue_cache.clear()  # what core's "core.non_working_day." event does


def shorten_horizon(setup):
    setup.agenda.horizon_days = 0
    setup.agenda.save()


def close_at_noon(setup):
    from mac.centers.models import OpeningException

    OpeningException.objects.create(
        center=setup.center,
        date=DAY,
        closed=False,
        opens=dt.time(8, 30),
        closes=dt.time(12, 0),
        reason="Media jornada",
    )
    # What the centers actions' "centers." event does in the process that made
    # the change (other processes at their next check of the configuration
    # generation, within about a second: mac.queueing.cache).
    queue_cache.clear()


def longer_slots(setup):
    setup.agenda.slot_minutes = 30
    setup.agenda.save()


@pytest.mark.parametrize(
    ("label", "day", "hour", "minute", "change", "code"),
    [
        ("within the lead time", TODAY, 9, 30, None, "lead_time"),
        ("non-working day declared later", DAY, 8, 30, declare_non_working, "closed_day"),
        ("horizon shortened", DAY, 8, 30, shorten_horizon, "beyond_horizon"),
        ("hours shortened", DAY, 15, 10, close_at_noon, "slot_not_offered"),
        ("slot length changed", DAY, 8, 50, longer_slots, "slot_not_offered"),
    ],
)
def test_a_slot_open_day_would_not_list_cannot_be_booked_by_its_id(
    setup, label, day, hour, minute, change, code
):
    actions.open_day(setup.center, setup.service, day)  # stores every slot of the day
    slot = Slot.objects.get(start=lima(day, hour, minute))
    if change is not None:
        change(setup)
    for attempt in (
        lambda: actions.hold(slot.pk, setup.service),
        lambda: actions.book(
            slot.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
        ),
    ):
        with pytest.raises(Invalid) as refused:
            attempt()
        assert refused.value.code == code, label
    slot.refresh_from_db()
    assert (slot.taken, Booking.objects.count()) == (0, 0)


def test_the_lead_time_refusal_says_how_far_ahead(setup):
    actions.open_day(setup.center, setup.service, TODAY)
    slot = Slot.objects.get(start=lima(TODAY, 9, 50))
    with pytest.raises(Invalid) as refused:
        actions.hold(slot.pk, setup.service)
    assert refused.value.message == "Las citas se reservan con al menos 1 hora de anticipación."
    # the first slot open_day lists is bookable
    listed = actions.open_day(setup.center, setup.service, TODAY)[0]
    assert listed.start == lima(TODAY, 10, 10)
    assert actions.hold(listed.pk, setup.service).status == "held"


# -- An agenda's capacity changed after its slots were stored --------------------

THIRD = "44556677"


def book_as(setup, slot, number):
    return actions.book(
        slot.pk, setup.service, document_type="dni", document_number=number, email=f"{number}@x.pe"
    )


def listed(setup, slot):
    return next(s for s in actions.open_day(setup.center, setup.service, DAY) if s.pk == slot.pk)


@pytest.fixture
def lowered(setup):
    """A slot booked twice out of 3 places, then the agenda lowered to 1."""
    setup.agenda.per_counter = 3
    setup.agenda.save()
    slot = first_slot(setup)
    first, second = book_as(setup, slot, DNI), book_as(setup, slot, OTHER_DNI)
    setup.agenda.per_counter = 1
    setup.agenda.save()
    return slot, first, second


def test_a_lowered_capacity_gives_no_more_places_in_a_fuller_slot(setup, lowered):
    slot, _first, _second = lowered
    shown = listed(setup, slot)
    assert (shown.capacity, shown.taken, shown.available) == (2, 2, 0)
    slot.refresh_from_db()
    assert (slot.capacity, slot.taken) == (2, 2)
    with pytest.raises(Conflict) as refused:
        book_as(setup, slot, THIRD)
    assert refused.value.code == "slot_full"
    slot.refresh_from_db()
    assert (slot.capacity, slot.taken, Booking.objects.count()) == (2, 2, 2)


def test_a_place_given_back_above_a_lowered_capacity_is_not_given_again(setup, lowered):
    from mac.appointments.models import WaitlistEntry

    slot, first, _second = lowered
    listed(setup, slot)
    actions.join_waitlist(
        setup.center, setup.service, DAY, document_type="dni", document_number=THIRD, email="c@x.pe"
    )
    actions.cancel(first.code, document_type="dni", document_number=DNI)
    assert WaitlistEntry.objects.get().status == "waiting"  # no place to offer
    shown = listed(setup, slot)
    assert (shown.capacity, shown.taken, shown.available) == (1, 1, 0)
    with pytest.raises(Conflict) as refused:
        book_as(setup, slot, "45566778")
    assert refused.value.code == "slot_full"
    slot.refresh_from_db()
    assert (slot.capacity, slot.taken) == (1, 1)
    assert Booking.objects.filter(status="confirmed").count() == 1


def test_a_raised_capacity_applies_to_stored_slots(setup):
    slot = first_slot(setup)
    book_as(setup, slot, DNI)
    setup.agenda.per_counter = 2
    setup.agenda.save()
    shown = listed(setup, slot)
    assert (shown.capacity, shown.available) == (2, 1)
    assert book_as(setup, slot, OTHER_DNI).status == "confirmed"
    slot.refresh_from_db()
    assert (slot.capacity, slot.taken) == (2, 2)


def test_a_lapsed_hold_above_a_lowered_capacity_frees_no_place(setup, clock):
    setup.agenda.per_counter = 3
    setup.agenda.save()
    slot = first_slot(setup)
    book_as(setup, slot, DNI)
    held = actions.hold(slot.pk, setup.service)
    setup.agenda.per_counter = 1
    setup.agenda.save()
    clock.shift(dt.timedelta(minutes=8))  # the hold ran out
    shown = listed(setup, slot)
    assert (shown.capacity, shown.taken, shown.available) == (1, 1, 0)
    with pytest.raises(Conflict) as refused:
        book_as(setup, slot, OTHER_DNI)
    assert refused.value.code == "slot_full"
    held.refresh_from_db()
    slot.refresh_from_db()
    assert (held.status, slot.capacity, slot.taken, Booking.objects.count()) == ("held", 2, 2, 2)


# -- A hold ends when its slot starts ------------------------------------------


def test_a_hold_ends_when_its_slot_starts_and_cannot_be_confirmed_after(setup, clock):
    setup.agenda.lead_minutes = 0
    setup.agenda.save()
    slot = next(s for s in actions.open_day(setup.center, setup.service, TODAY))
    assert slot.start == lima(TODAY, 9, 10)
    clock.move_to(slot.start - dt.timedelta(minutes=1))
    held = actions.hold(slot.pk, setup.service)
    assert held.hold_until == slot.start  # not 7 minutes later
    clock.move_to(slot.start + dt.timedelta(minutes=5))
    with pytest.raises(Conflict) as refused:
        actions.confirm(held.token, document_type="dni", document_number=DNI, email="a@x.pe")
    assert refused.value.code == "hold_expired"
    held.refresh_from_db()
    assert (held.status, held.document_number, held.confirmed_at) == ("held", "", None)


def test_an_older_hold_running_past_its_slots_start_cannot_be_confirmed(setup, clock):
    setup.agenda.lead_minutes = 0
    setup.agenda.save()
    slot = actions.open_day(setup.center, setup.service, TODAY)[0]
    clock.move_to(slot.start - dt.timedelta(minutes=1))
    held = actions.hold(slot.pk, setup.service)
    # a hold stored before holds were capped at the slot's start
    Booking.objects.filter(pk=held.pk).update(hold_until=slot.start + dt.timedelta(minutes=6))
    clock.move_to(slot.start + dt.timedelta(minutes=5))
    with pytest.raises(Invalid) as refused:
        actions.confirm(held.token, document_type="dni", document_number=DNI, email="a@x.pe")
    assert (refused.value.code, refused.value.message) == ("past_slot", "Ese horario ya pasó.")
    held.refresh_from_db()
    assert (held.status, held.document_number, held.confirmed_at) == ("held", "", None)
