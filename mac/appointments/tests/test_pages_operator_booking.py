"""An operator of Aló MAC books for callers on the booking pages: no proof of
work, the phone channel, the operator recorded and audited, no per-address
limit (a call center books from one address all day); every other rule is
the citizen's, and the caller's notices are a web booking's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from mac.appointments import actions
from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.appointments.testing import DNI
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    FIRST_FREE,
    Citas,
    book_directly,
    book_for_caller,
    contact_data,
    make_operator,
    signed_in,
    slot_at,
    take_data,
    text,
)
from mac.core import pow
from mac.core.models import AuditLog
from mac.notify import sms
from mac.notify.testing import run_tasks

morning = pages.morning
CALLERS = 25


@pytest.fixture
def guarded(db: None, morning: Any, settings: Any) -> Citas:
    """The pages as in production: the proof of work is on."""
    settings.APPOINTMENTS = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 2000}
    return pages.build_citas()


def caller(i: int) -> dict[str, str]:
    return {"document_number": f"{40000000 + i}", "email": f"llamada{i}@example.pe"}


def audit_actors(action: str) -> list[str | None]:
    rows = AuditLog.objects.filter(action=action).order_by("pk").select_related("actor")
    return [row.actor.username if row.actor else None for row in rows]


class TestOperatorBooking:
    def test_it_books_25_callers_from_one_address_in_one_day(self, guarded: Citas) -> None:
        # given an operator, and the day's 25 free slots
        operator = make_operator()
        client = signed_in(operator)
        slots = actions.open_day(guarded.center, guarded.service, DAY)
        assert len(slots) == CALLERS

        # when one booking for each caller, all from 127.0.0.1, none with a proof of work
        booked = [
            book_for_caller(client, guarded, slot, **caller(i)) for i, slot in enumerate(slots)
        ]

        # then
        bookings = Booking.objects.order_by("pk")
        assert [b.pk for b in bookings] == [b.pk for b in booked]
        assert {(b.status, b.channel, b.operator_id, b.client_address) for b in bookings} == {
            ("confirmed", "phone", operator.pk, "127.0.0.1")
        }
        assert [b.document_number for b in bookings] == [
            caller(i)["document_number"] for i in range(CALLERS)
        ]
        assert [b.slot_id for b in bookings] == [s.pk for s in slots]
        assert audit_actors("appointments.hold") == ["olga"] * CALLERS
        assert audit_actors("appointments.confirm") == ["olga"] * CALLERS
        assert not AuditLog.objects.filter(action="appointments.limit_reached").exists()
        assert set(Slot.objects.filter(pk__in=[s.pk for s in slots]).values_list("taken")) == {(1,)}

    def test_it_asks_the_operators_browser_for_no_proof_of_work(self, guarded: Citas) -> None:
        client = signed_in(make_operator())

        body = client.get(pages.day_url(guarded)).content.decode()

        assert "data-pow" not in body
        assert 'name="pow"' not in body
        assert "mac/pow.js" not in body

    def test_the_caller_gets_the_notices_of_a_web_booking(
        self, guarded: Citas, django_capture_on_commit_callbacks: Any
    ) -> None:
        # given the caller's own booking of the slot on the web, its notices
        # kept, then cancelled: the slot is free again
        slot = slot_at(guarded, FIRST_FREE)
        contact = {"email": "ana@example.pe", "phone": "987654321"}
        with django_capture_on_commit_callbacks(execute=True):
            web = _web_booking(guarded, slot, contact)
        run_tasks()
        web_mail, web_sms = _sent(web)
        actions.cancel(web.code, document_type="dni", document_number=DNI)
        mail.outbox.clear()
        sms.outbox.clear()

        # when an operator books the same slot for the same caller
        with django_capture_on_commit_callbacks(execute=True):
            phoned = book_for_caller(signed_in(make_operator()), guarded, slot, **contact)
        run_tasks()

        # then the caller is told exactly what the web booking told them
        assert (phoned.channel, web.channel) == ("phone", "portal")
        assert _sent(phoned) == (web_mail, web_sms)
        assert [(to, attached) for to, _subject, _body, attached, _ics in web_mail] == [
            (["ana@example.pe"], [("cita.ics", "text/calendar; method=REQUEST")])
        ]
        assert [to for to, _body in web_sms] == ["+51987654321"]

    def test_the_per_document_limit_still_refuses_an_operator(self, guarded: Citas) -> None:
        # given the caller already booked this service
        booked = book_directly(guarded, slot_at(guarded, FIRST_FREE))
        operator = make_operator()
        client = signed_in(operator)
        slot = slot_at(guarded, FIRST_FREE.replace(minute=30))
        response = client.post(reverse("appointments:take"), take_data(guarded, slot))
        token = response["Location"].rstrip("/").rsplit("/", 1)[1]

        # when
        refused = client.post(reverse("appointments:hold", args=[token]), contact_data())

        # then
        assert refused.status_code == 422
        assert "Este documento ya tiene una cita pendiente para este trámite." in text(refused)
        held = Booking.objects.get(token=token)
        assert (held.status, held.document_number, held.operator_id) == ("held", "", operator.pk)
        assert list(Booking.objects.filter(status="confirmed")) == [booked]
        hit = AuditLog.objects.get(action="appointments.limit_reached")
        assert (hit.actor_id, hit.data["limit"]) == (operator.pk, "document_service")
        assert not AuditLog.objects.filter(action="appointments.confirm", actor=operator).exists()

    def test_it_keeps_the_lead_time_for_an_operator(self, guarded: Citas) -> None:
        # given a slot 20 minutes ahead (the agenda asks for 60)
        client = signed_in(make_operator())
        soon = Slot.objects.create(
            center=guarded.center,
            service=guarded.service,
            start=FIRST_FREE.replace(hour=9, minute=10),
            end=FIRST_FREE.replace(hour=9, minute=30),
            capacity=1,
        )

        # when
        response = client.post(reverse("appointments:take"), take_data(guarded, soon))

        # then
        assert response.status_code == 422
        assert "Las citas se reservan con al menos 1 hora de anticipación." in text(response)
        assert not Booking.objects.exists()

    def test_it_puts_a_caller_on_the_waitlist_without_a_proof_of_work(self, guarded: Citas) -> None:
        operator = make_operator()
        data = {
            "servicio": str(guarded.service.pk),
            "centro": "lima-norte",
            "dia": "2026-12-02",
            **contact_data(),
        }

        page = signed_in(operator).get(reverse("appointments:waitlist"), data)
        response = signed_in(operator).post(reverse("appointments:waitlist"), data)

        assert "data-pow" not in page.content.decode()
        assert response.status_code == 302
        entry = WaitlistEntry.objects.get()
        assert (entry.document_number, entry.email) == (DNI, "ana@example.pe")
        assert audit_actors("appointments.waitlist_join") == ["olga"]


def _web_booking(citas: Citas, slot: Slot, contact: dict[str, str]) -> Booking:
    """The citizen's booking on the pages, with the proof of work solved."""
    client = Client()
    challenge = client.get(reverse("appointments:pow")).json()
    data = take_data(citas, slot, pow=pow.solve(challenge))
    response = client.post(reverse("appointments:take"), data)
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    response = client.post(reverse("appointments:hold", args=[token]), contact_data(**contact))
    assert response.status_code == 302
    return Booking.objects.get(token=token)


def _sent(booking: Booking) -> tuple[list[Any], list[Any]]:
    """The emails and SMS sent, with the booking's code and token written
    out of them (they are the only parts that differ between two bookings)."""

    def clean(value: Any) -> str:
        return str(value).replace(booking.code, "CODE").replace(booking.token, "TOKEN")

    emails = [
        (
            message.to,
            clean(message.subject),
            clean(message.body),
            [(name, mimetype) for name, _content, mimetype in message.attachments],
            [
                clean(content.decode() if isinstance(content, bytes) else content)
                for _name, content, _mimetype in message.attachments
            ],
        )
        for message in mail.outbox
    ]
    texts = [(message.to, clean(message.message)) for message in sms.outbox]
    return emails, texts


class TestOperatorGivesBackAHold:
    def test_the_audit_names_the_operator_who_chose_another_slot(self, guarded: Citas) -> None:
        operator = make_operator()
        client = signed_in(operator)
        slot = actions.open_day(guarded.center, guarded.service, DAY)[0]
        taken = client.post(reverse("appointments:take"), take_data(guarded, slot))
        token = taken["Location"].rstrip("/").rsplit("/", 1)[1]

        released = client.post(reverse("appointments:release", args=[token]))

        slot.refresh_from_db()
        assert released.status_code == 302
        assert Booking.objects.get(token=token).status == Booking.Status.EXPIRED
        assert slot.taken == 0
        assert audit_actors("appointments.release") == [operator.username]

    def test_a_citizens_release_names_nobody(self, guarded: Citas, settings: Any) -> None:
        settings.APPOINTMENTS = {"POW_REQUIRED": False}
        slot = actions.open_day(guarded.center, guarded.service, DAY)[0]
        client = Client()
        taken = client.post(reverse("appointments:take"), take_data(guarded, slot))
        token = taken["Location"].rstrip("/").rsplit("/", 1)[1]

        client.post(reverse("appointments:release", args=[token]))

        assert Booking.objects.get(token=token).status == Booking.Status.EXPIRED
        assert audit_actors("appointments.release") == [None]
