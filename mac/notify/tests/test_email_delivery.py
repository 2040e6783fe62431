"""The delivery task sends an email, with its calendar attachment, from the
platform's address, and logs it as sent."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import time_machine
from django.core import mail

from mac.notify.actions import Attachment, send
from mac.notify.models import Message
from mac.notify.testing import run_tasks

NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)


def appointment_ics() -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Plataforma MAC//Citas//ES")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", "LN-7K3Q@mac.gob.pe")
    event.add("dtstamp", NOW)
    event.add("dtstart", dt.datetime(2026, 12, 7, 14, 30, tzinfo=dt.UTC))
    event.add("summary", "Cita: Duplicado de DNI")
    calendar.add_component(event)
    return calendar.to_ical()


@pytest.mark.django_db
class TestEmailDelivery:
    def test_it_sends_the_email_with_the_calendar_file(
        self, confirmed, settings, django_capture_on_commit_callbacks
    ):
        # given
        settings.DEFAULT_FROM_EMAIL = "Plataforma MAC <no-responder@mac.gob.pe>"
        ics = appointment_ics()
        with django_capture_on_commit_callbacks(execute=True):
            (message,) = send(
                "appointment_confirmed",
                email="ana@example.pe",
                context=confirmed,
                attachments=[Attachment("cita.ics", ics, "text/calendar; method=REQUEST")],
                ref="appointments.booking:42",
            )

        # when
        with time_machine.travel(NOW, tick=False):
            ran = run_tasks()

        # then
        assert ran == 1
        (email,) = mail.outbox
        assert email.to == ["ana@example.pe"]
        assert email.from_email == "Plataforma MAC <no-responder@mac.gob.pe>"
        assert email.subject == "Tu cita LN-7K3Q está confirmada"
        assert email.body == message.body
        assert email.attachments == [("cita.ics", ics.decode(), "text/calendar; method=REQUEST")]
        (part,) = [p for p in email.message().walk() if p.get_filename() == "cita.ics"]
        assert (part.get_content_type(), part.get_param("method")) == ("text/calendar", "REQUEST")
        assert part.get_payload(decode=True) == ics
        message.refresh_from_db()
        assert (message.status, message.attempts, message.sent_at, message.last_error) == (
            Message.Status.SENT,
            1,
            NOW,
            "",
        )

    def test_it_stores_the_attachment_with_the_email_only(self, confirmed):
        # when
        email, text = send(
            "appointment_confirmed",
            email="ana@example.pe",
            phone="+51987654321",
            context=confirmed,
            attachments=[Attachment("cita.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        )

        # then
        assert [(a.filename, bytes(a.content), a.mimetype) for a in email.attachments.all()] == [
            ("cita.ics", b"BEGIN:VCALENDAR", "text/calendar")
        ]
        assert text.attachments.count() == 0
