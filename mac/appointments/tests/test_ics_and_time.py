"""A slot at 19:30 in Lima (00:30 UTC the next day) shows on its Lima day
everywhere: the day's slots, the API and the .ics."""

import datetime as dt

import pytest
from icalendar import Calendar, Timezone

from mac.appointments import actions, notices
from mac.appointments.testing import DNI
from mac.centers.models import OpeningException

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)


@pytest.fixture
def evening(setup):
    setup.agenda.slot_minutes = 30
    setup.agenda.save()
    OpeningException.objects.create(
        center=setup.center,
        date=DAY,
        closed=False,
        opens=dt.time(18, 0),
        closes=dt.time(20, 0),
        reason="Atención nocturna",
    )
    slots = actions.open_day(setup.center, setup.service, DAY)
    return next(s for s in slots if s.start == dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.UTC))


def test_the_evening_slot_belongs_to_its_lima_day(setup, evening, client):
    # the 19:30 slot (00:30 UTC on the 3rd) is listed on the 2nd, not the 3rd
    response = client.get(
        f"/api/v1/centers/{setup.center.pk}/slots",
        {"service": setup.service.pk, "date": "2026-12-02"},
    )
    starts = [s["start"] for s in response.json()]
    assert starts == [f"2026-12-02T{t}:00-05:00" for t in ("18:00", "18:30", "19:00", "19:30")]
    assert evening.pk in [s["id"] for s in response.json()]
    next_day = client.get(
        f"/api/v1/centers/{setup.center.pk}/slots",
        {"service": setup.service.pk, "date": "2026-12-03"},
    ).json()
    assert evening.pk not in [s["id"] for s in next_day]
    assert next_day[0]["start"] == "2026-12-03T08:30:00-05:00"


def test_the_ics_has_lima_times_a_stable_uid_and_a_rising_sequence(setup, evening):
    booking = actions.book(
        evening.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    first = Calendar.from_ical(notices.ics(booking))
    event = first.walk("VEVENT")[0]
    assert first["METHOD"] == "REQUEST"
    assert event["DTSTART"].params["TZID"] == "America/Lima"
    assert event.decoded("DTSTART").replace(tzinfo=None) == dt.datetime(2026, 12, 2, 19, 30)
    assert event["DTSTART"].to_ical() == b"20261202T193000"
    assert event.decoded("DTSTART").astimezone(dt.UTC) == evening.start
    assert event["SEQUENCE"] == 0
    assert [tz["TZID"] for tz in first.walk("VTIMEZONE")] == ["America/Lima"]
    # rescheduled, then cancelled: same UID, sequence up, METHOD:CANCEL at the end
    other = actions.open_day(setup.center, setup.service, DAY)[0]
    moved = actions.reschedule(
        booking.code, document_type="dni", document_number=DNI, slot_id=other.pk
    )
    second = Calendar.from_ical(notices.ics(moved)).walk("VEVENT")[0]
    cancelled = actions.cancel(booking.code, document_type="dni", document_number=DNI)
    third_cal = Calendar.from_ical(notices.ics(cancelled))
    third = third_cal.walk("VEVENT")[0]
    assert (
        str(event["UID"])
        == str(second["UID"])
        == str(third["UID"])
        == f"cita-{booking.code}@127.0.0.1"
    )
    assert (second["SEQUENCE"], third["SEQUENCE"]) == (1, 2)
    assert second["DTSTART"].to_ical() == b"20261202T180000"
    assert (third_cal["METHOD"], third["STATUS"]) == ("CANCEL", "CANCELLED")


def test_the_portal_and_the_messages_show_it_on_its_lima_day(
    setup, evening, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    from mac.notify.testing import run_tasks

    base = f"/citas/?servicio={setup.service.pk}&centro={setup.center.slug}"
    assert "19:30" in client.get(base + "&dia=2026-12-02").content.decode()
    assert "19:30" not in client.get(base + "&dia=2026-12-03").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.book(
            evening.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
        )
    run_tasks()
    assert "miércoles 2 de diciembre de 2026, 19:30" in mail.outbox[0].body


def test_the_ics_is_what_icalendar_writes_with_limas_timezone_first(setup, evening):
    # given: names that the .ics must escape and fold
    setup.service.plain_name = "Duplicado de DNI; trámite urgente, con «comillas» y " + "ñ" * 40
    setup.service.save()
    booking = actions.book(
        evening.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    cancelled = actions.cancel(booking.code, document_type="dni", document_number=DNI)

    for data in (notices.ics(booking), notices.ics(cancelled)):
        # when icalendar reads it and writes it again
        calendar = Calendar.from_ical(data)

        # then: the same bytes, Lima's VTIMEZONE as icalendar derives it, first
        assert calendar.to_ical() == data
        assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE", "VEVENT"]
        assert calendar.subcomponents[0].to_ical() == Timezone.from_tzid("America/Lima").to_ical()
