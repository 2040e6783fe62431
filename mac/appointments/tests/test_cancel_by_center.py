"""The center cancels a confirmed booking that it cannot attend
(`actions.cancel_by_center`): the booking is cancelled with the reason kept
on it and in the audit, its place goes back to the slot (offered to the
waitlist only when the slot itself can be served), and the citizen gets a
notice in the booking's language, with the .ics CANCEL and a link to book
again. A booking that is no longer confirmed and to come, or that the
center can attend, is refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from mac.accounts.models import Role
from mac.appointments import actions
from mac.appointments.errors import Conflict, Forbidden, NotFound
from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.core.models import AuditLog, Event
from mac.core.testing import make_user
from mac.notify import sms
from mac.notify.models import Message
from mac.notify.testing import run_tasks

from .affected import DAY, NEXT_DAY, at, back_office, book, document_of, world

pytestmark = pytest.mark.django_db
__all__ = ["back_office", "world"]


@pytest.fixture
def coordinator(world):
    return make_user("cora", Role.CENTER_COORDINATOR, center=world.center, is_staff=True)


def written() -> tuple:
    return (
        list(
            Booking.objects.order_by("pk").values_list("status", "sequence", "cancelled_by_center")
        ),
        list(Slot.objects.order_by("pk").values_list("taken", flat=True)),
        list(WaitlistEntry.objects.order_by("pk").values_list("status", flat=True)),
        AuditLog.objects.count(),
        Event.objects.count(),
        Message.objects.count(),
    )


class TestCancelByCenter:
    def test_it_cancels_gives_the_place_back_and_tells_the_citizen(
        self, world, back_office, coordinator, settings, django_capture_on_commit_callbacks
    ):
        # given: a booking whose service lost its only counter
        settings.SITE_URL = "https://mac.gob.pe"
        booking = book(world.other, at(DAY, 10, 10), email="ana@example.pe", phone="987654321")
        back_office.disable(world.other_counter)
        mail.outbox.clear()
        sms.outbox.clear()

        # when
        with django_capture_on_commit_callbacks(execute=True):
            cancelled = actions.cancel_by_center(booking.code, by=coordinator)
        run_tasks()

        # then
        booking.refresh_from_db()
        assert (
            booking.status,
            booking.cancelled_at,
            booking.cancelled_by_center,
            booking.sequence,
        ) == ("cancelled", dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.UTC), "service_unstaffed", 1)
        assert cancelled.pk == booking.pk
        assert booking.slot.taken == 0
        entry = AuditLog.objects.get(action="appointments.cancel_by_center")
        assert (entry.actor, entry.object_id, entry.data) == (
            coordinator,
            str(booking.pk),
            {
                "reason": "service_unstaffed",
                "detail": "Ningún módulo habilitado del centro tiene el trámite entre sus"
                " servicios.",
            },
        )
        assert list(
            Event.objects.filter(topic__endswith=".cancelled").values_list("topic", "payload")
        ) == [
            (
                f"appointments.{world.center.pk}.cancelled",
                {
                    "booking": booking.pk,
                    "service": world.other.pk,
                    "slot": booking.slot_id,
                    "status": "cancelled",
                },
            )
        ]
        (email,) = mail.outbox
        assert (email.to, email.subject) == (
            ["ana@example.pe"],
            f"Tu cita {booking.code} fue anulada: el centro no podrá atenderla",
        )
        assert (
            f"El Centro MAC Lima Norte no podrá atender tu cita {booking.code} para Rectificación"
            " de datos del miércoles 2 de diciembre de 2026, 10:10: por ahora el centro no"
            " atiende este trámite. Por eso la anulamos, para que no viajes en vano."
        ) in email.body
        assert (
            "reserva una nueva cita, en ese u otro Centro MAC, aquí:"
            f" https://mac.gob.pe/citas/?servicio={world.other.pk}"
        ) in email.body
        ((name, content, mimetype),) = email.attachments
        assert (name, mimetype) == ("cita.ics", "text/calendar; method=CANCEL")
        assert "METHOD:CANCEL" in content
        assert "STATUS:CANCELLED" in content
        assert "SEQUENCE:1" in content
        assert [m.message for m in sms.outbox] == [
            f"MAC: tu cita {booking.code} del 02/12 10:10 fue anulada: el centro no puede"
            f" atenderla. Reserva otra: https://mac.gob.pe/citas/?servicio={world.other.pk}"
        ]

    def test_it_tells_why_a_closed_day_or_a_language_is_the_trouble(self, world, back_office):
        closed = book(world.dni, at(NEXT_DAY, 10, 10))
        quechua = book(world.dni, at(DAY, 10, 10), attention="qu")
        back_office.close(world.center, NEXT_DAY)
        back_office.speak_only_spanish(world.quechua_counter)

        actions.cancel_by_center(closed.code, by=None)
        actions.cancel_by_center(quechua.code, by=None)

        bodies = {
            m.ref: m.body for m in Message.objects.filter(kind="appointment_cancelled_by_center")
        }
        assert (
            "10:10: ese día, a esa hora, el centro no atenderá. Por eso"
            in bodies[f"appointments.booking:{closed.pk}"]
        )
        assert (
            "10:10: por ahora ningún módulo del centro atiende este trámite en quechua."
            in bodies[f"appointments.booking:{quechua.pk}"]
        )
        assert list(
            Booking.objects.order_by("pk").values_list("cancelled_by_center", flat=True)
        ) == [
            "center_closed",
            "language_unavailable",
        ]

    def test_it_tells_the_citizen_in_the_language_of_the_bookings_notices(
        self, world, back_office, settings
    ):
        settings.SITE_URL = "https://mac.gob.pe"
        booking = book(
            world.other, at(DAY, 10, 10), language="qu", email="ana@example.pe", phone="987654321"
        )
        back_office.disable(world.other_counter)

        actions.cancel_by_center(booking.code, by=None)

        email, text = Message.objects.filter(kind="appointment_cancelled_by_center").order_by(
            "channel"
        )
        assert (email.language, email.subject) == (
            "qu",
            f"{booking.code} citayki anulasqañam: centroqa manam atiendeyta atinqachu",
        )
        assert (
            f"Centro MAC Lima Norte-qa manam Rectificación de datos trámitepaq {booking.code}"
            " citaykipi (Quyllurchaw 2 Qhapaq raymi killa 2026, 10:10) atiendeyta atinqachu:"
            " kunanqa centroqa manam kay trámiteta atiendenchu."
        ) in email.body
        assert text.body == (
            f"MAC: {booking.code} citayki (02/12 10:10) anulasqañam: centroqa manam atiendeyta"
            f" atinchu. Hukta apartay: https://mac.gob.pe/citas/?servicio={world.other.pk}"
        )

    def test_it_offers_the_place_to_nobody_when_the_slot_cannot_be_served(self, world, back_office):
        booking = book(world.other, at(DAY, 10, 10))
        waiting = actions.join_waitlist(
            world.center,
            world.other,
            DAY,
            document_type="dni",
            document_number="40506070",
            email="b@example.pe",
        )
        back_office.disable(world.other_counter)

        actions.cancel_by_center(booking.code, by=None)

        waiting.refresh_from_db()
        assert (waiting.status, waiting.booking_id) == ("waiting", None)
        assert Slot.objects.get(pk=booking.slot_id).taken == 0

    def test_it_offers_the_place_on_when_only_the_language_was_the_trouble(
        self, world, back_office
    ):
        booking = book(world.dni, at(DAY, 10, 10), attention="qu")
        waiting = actions.join_waitlist(
            world.center,
            world.dni,
            DAY,
            document_type="dni",
            document_number="40506070",
            email="b@example.pe",
        )
        back_office.speak_only_spanish(world.quechua_counter)

        actions.cancel_by_center(booking.code, by=None)

        waiting.refresh_from_db()
        offer = waiting.booking
        assert offer is not None
        assert (waiting.status, offer.status, offer.slot_id) == ("offered", "held", booking.slot_id)
        assert Slot.objects.get(pk=booking.slot_id).taken == 1


class TestCancelByCenterRefusals:
    def test_it_refuses_a_booking_the_center_can_attend(self, world, coordinator):
        booking = book(world.other, at(DAY, 10, 10))
        before = written()

        with pytest.raises(Conflict) as refused:
            actions.cancel_by_center(booking.code, by=coordinator)

        assert (refused.value.status, refused.value.code, refused.value.message) == (
            409,
            "not_affected",
            "El centro puede atender esta cita: no se anula.",
        )
        assert written() == before

    def test_it_refuses_a_booking_the_citizen_cancelled_meanwhile(
        self, world, back_office, coordinator
    ):
        booking = book(world.other, at(DAY, 10, 10))
        back_office.disable(world.other_counter)
        actions.cancel(booking.code, **document_of(booking))
        before = written()

        with pytest.raises(Conflict) as refused:
            actions.cancel_by_center(booking.code, by=coordinator)

        assert (refused.value.code, refused.value.message) == (
            "cancelled",
            "La cita ya estaba anulada.",
        )
        assert written() == before
        assert Booking.objects.get().cancelled_by_center == ""

    def test_it_refuses_a_booking_checked_in_meanwhile(self, world, back_office, clock):
        booking = book(world.other, at(DAY, 10, 10))
        clock.move_to(at(DAY, 10, 5))
        actions.check_in(booking.code, **document_of(booking), source="kiosk")
        back_office.close(world.center, DAY, "Corte de luz")
        before = written()

        with pytest.raises(Conflict) as refused:
            actions.cancel_by_center(booking.code, by=None)

        assert refused.value.code == "checked_in"
        assert written() == before

    def test_it_refuses_a_booking_whose_time_has_come(self, world, back_office, clock):
        booking = book(world.other, at(DAY, 10, 10))
        back_office.disable(world.other_counter)
        clock.move_to(at(DAY, 10, 10))
        before = written()

        with pytest.raises(Conflict) as refused:
            actions.cancel_by_center(booking.code, by=None)

        assert refused.value.code == "past_booking"
        assert written() == before

    def test_it_refuses_staff_of_another_center_or_role(self, world, back_office, personas):
        booking = book(world.other, at(DAY, 10, 10))
        back_office.disable(world.other_counter)
        elsewhere = make_user("aqp", Role.CENTER_COORDINATOR, center=personas.arequipa)
        before = written()

        for user in (elsewhere, personas.carol, personas.bob):
            with pytest.raises(Forbidden) as refused:
                actions.cancel_by_center(booking.code, by=user)
            assert (refused.value.status, refused.value.code) == (403, "not_this_center")
        assert written() == before
        # a national supervisor may
        assert actions.cancel_by_center(booking.code, by=personas.alice).status == "cancelled"

    def test_it_refuses_an_unknown_code(self, world):
        with pytest.raises(NotFound) as refused:
            actions.cancel_by_center("ZZZZZZZZ", by=None)
        assert (refused.value.status, refused.value.code) == (404, "booking_not_found")
