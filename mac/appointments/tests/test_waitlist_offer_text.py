"""The waitlist offer's SMS says until what time the place is held ("hasta las
11:00", with the day when the offer ends on another Lima day) and, with the
real link, fits in one SMS: at most 160 characters of the GSM alphabet (one
accented letter outside it makes it 70 per part). A service name too long for
it is cut short with "..." (mac.notify.rendering)."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.models import Booking
from mac.appointments.testing import DNI, OTHER_DNI, lima
from mac.catalog.models import Service
from mac.catalog.seed import all_service_specs
from mac.notify import sms
from mac.notify.testing import run_tasks

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)  # Wednesday
# GSM 03.38's basic character set (no escape), less the control characters.
GSM = set(
    "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


@pytest.fixture
def full_day(setup, settings):
    """A day with one slot, 09:00, booked; a person waiting for it."""
    from mac.centers.models import OpeningException

    settings.SITE_URL = "https://mac.gob.pe"
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
    actions.join_waitlist(
        setup.center,
        setup.service,
        DAY,
        document_type="dni",
        document_number=OTHER_DNI,
        phone="987000001",
    )
    return booking


def offer_text(booking, capture):
    with capture(execute=True):
        actions.cancel(booking.code, document_type="dni", document_number=DNI)
    run_tasks()
    (text,) = [m.message for m in sms.outbox if m.to == "+51987000001"]
    offer = Booking.objects.get(document_number=OTHER_DNI)
    return text, offer.token


def test_an_offer_ending_the_same_day_gives_the_time(full_day, django_capture_on_commit_callbacks):
    # when: a cancellation on Tuesday at 09:00 (the offer runs two hours)
    text, token = offer_text(full_day, django_capture_on_commit_callbacks)

    # then
    assert text == (
        "MAC: horario libre para Duplicado de DNI: 02/12 09:00. Confirma hasta las 11:00: "
        f"https://mac.gob.pe/citas/reserva/{token}/"
    )
    assert len(text) <= 160
    assert set(text) <= GSM


def test_an_offer_ending_the_next_day_gives_the_day_too(
    full_day, clock, django_capture_on_commit_callbacks
):
    # given: Tuesday, 23:00 in Lima
    clock.move_to(lima(DAY - dt.timedelta(days=1), 23, 0))

    # when
    text, token = offer_text(full_day, django_capture_on_commit_callbacks)

    # then: the day takes room, and the service name still fits whole
    assert text == (
        "MAC: horario libre para Duplicado de DNI: 02/12 09:00. Confirma hasta las 01:00 del "
        f"02/12: https://mac.gob.pe/citas/reserva/{token}/"
    )
    assert len(token) == 22
    assert len(text) <= 160
    assert set(text) <= GSM


def test_the_longest_service_name_of_the_seed_is_cut_short(
    full_day, setup, django_capture_on_commit_callbacks
):
    # given: the service named as the seed catalog's longest plain name
    longest = max((s.plain for specs in all_service_specs().values() for s in specs), key=len)
    Service.objects.filter(pk=setup.service.pk).update(plain_name=longest)

    # when
    text, token = offer_text(full_day, django_capture_on_commit_callbacks)

    # then
    assert longest.startswith("Sacar el DNI gratis ")
    assert text == (
        "MAC: horario libre para Sacar el DNI gratis si soy adulto...: 02/12 09:00. Confirma"
        f" hasta las 11:00: https://mac.gob.pe/citas/reserva/{token}/"
    )
    assert len(text) <= 160
    assert set(text) <= GSM
