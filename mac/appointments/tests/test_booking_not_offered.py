"""A service that the center does not offer (its catalog offer inactive, or
the service not published, or its entity not active) is not booked there,
though its agenda is still active: its check-in would be refused (the queue's
`service_not_offered`). Listing a day's slots, holding, booking, confirming a
hold, rescheduling and joining the waitlist are refused (409,
`service_not_offered`), through the actions and the API, with nothing
written, and a place freed meanwhile is offered to nobody. Rescheduling says
it to the citizen who holds the booking: the center cannot attend it."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.errors import Conflict
from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.appointments.testing import DNI, OTHER_DNI
from mac.catalog import actions as catalog
from mac.catalog.models import Entity, Offer, Service
from mac.core.models import AuditLog, Event
from mac.notify.models import Message

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)
REFUSAL = (
    "Por ahora Centro MAC Lima Norte no ofrece «Duplicado de DNI»: no puedes reservar una cita"
    " de este trámite en ese centro. Elige otro Centro MAC."
)
FOR_HOLDER = (
    "Centro MAC Lima Norte ya no ofrece «Duplicado de DNI»: el centro no podrá atender tu cita."
    " Puedes anularla y reservar otra en otro Centro MAC; si no, el centro la anulará y te"
    " avisará."
)


@pytest.fixture
def back_office(setup, django_capture_on_commit_callbacks):
    """The catalog's changes, through its actions with their events run (they
    drop the queue's cached offers)."""

    class BackOffice:
        def withdraw_offer(self, active: bool = False) -> None:
            offer = Offer.objects.get(center=setup.center, service=setup.service)
            offer.active = active
            with django_capture_on_commit_callbacks(execute=True):
                catalog.save_offer(offer, by=None, changed_fields=["active"])

        def unpublish(self) -> None:
            service = setup.service
            service.status = Service.Status.WITHDRAWN
            with django_capture_on_commit_callbacks(execute=True):
                catalog.save_service(service, by=None, changed_fields=["status"])

        def suspend_entity(self) -> None:
            entity = setup.service.entity
            entity.status = Entity.Status.SUSPENDED
            with django_capture_on_commit_callbacks(execute=True):
                catalog.save_entity(entity, by=None, changed_fields=["status"])

    return BackOffice()


def written() -> tuple:
    return (
        Slot.objects.count(),
        list(Slot.objects.order_by("pk").values_list("taken", flat=True)),
        list(
            Booking.objects.order_by("pk").values_list(
                "status", "slot_id", "sequence", "document_number", "email", "hold_until"
            )
        ),
        list(WaitlistEntry.objects.order_by("pk").values_list("status", "booking_id")),
        AuditLog.objects.count(),
        Event.objects.count(),
        Message.objects.count(),
    )


def assert_refused(action, message: str = REFUSAL) -> None:
    before = written()
    with pytest.raises(Conflict) as refused:
        action()
    assert (refused.value.status, refused.value.code) == (409, "service_not_offered")
    assert refused.value.message == message
    assert written() == before


def book(setup, slot, number=DNI):
    return actions.book(
        slot.pk, setup.service, document_type="dni", document_number=number, email="a@x.pe"
    )


class TestActions:
    @pytest.mark.parametrize("change", ["withdraw_offer", "unpublish", "suspend_entity"])
    def test_it_lists_no_slots_and_stores_none(self, setup, back_office, change):
        getattr(back_office, change)()
        assert_refused(lambda: actions.open_day(setup.center, setup.service, DAY))
        assert Slot.objects.count() == 0

    def test_it_holds_no_place_of_a_slot_listed_before(self, setup, back_office):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        back_office.withdraw_offer()
        assert_refused(lambda: actions.hold(slot.pk, setup.service, client_address="198.51.100.7"))

    def test_it_books_nothing(self, setup, back_office):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        back_office.withdraw_offer()
        assert_refused(lambda: book(setup, slot))

    def test_it_books_again_once_offered_again(self, setup, back_office):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        back_office.withdraw_offer()
        back_office.withdraw_offer(active=True)

        booking = book(setup, slot)

        assert (booking.status, booking.slot_id) == ("confirmed", slot.pk)

    def test_it_does_not_confirm_a_hold_made_before(self, setup, back_office):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        held = actions.hold(slot.pk, setup.service)
        back_office.withdraw_offer()

        assert_refused(
            lambda: actions.confirm(
                held.token, document_type="dni", document_number=DNI, email="a@x.pe"
            )
        )
        held.refresh_from_db()
        assert (held.status, held.document_number, held.email) == ("held", "", "")

    def test_it_does_not_reschedule(self, setup, back_office):
        first, second = actions.open_day(setup.center, setup.service, DAY)[:2]
        booking = book(setup, first)
        back_office.withdraw_offer()

        assert_refused(
            lambda: actions.reschedule(
                booking.code, document_type="dni", document_number=DNI, slot_id=second.pk
            ),
            FOR_HOLDER,
        )
        booking.refresh_from_db()
        assert (booking.slot_id, booking.sequence, booking.status) == (first.pk, 0, "confirmed")

    def test_it_puts_nobody_on_the_waitlist(self, setup, back_office):
        back_office.withdraw_offer()
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

    def test_a_freed_place_is_offered_to_nobody(self, setup, back_office):
        # given: someone waits for the day of a booked slot, then the offer is withdrawn
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
        back_office.withdraw_offer()

        # when: the booking is cancelled (still allowed)
        actions.cancel(booking.code, document_type="dni", document_number=DNI)

        # then: its place stays free, nobody is offered it (a confirmation would be refused)
        entry.refresh_from_db()
        assert (entry.status, entry.booking_id) == ("waiting", None)
        assert list(Booking.objects.values_list("status", flat=True)) == ["cancelled"]
        slot.refresh_from_db()
        assert slot.taken == 0


def post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def booking_body(setup, slot):
    return {
        "slot": slot.pk,
        "service": setup.service.pk,
        "document_type": "dni",
        "document_number": DNI,
        "email": "ana@example.pe",
    }


class TestApi:
    def test_the_slots_answer_409_and_store_nothing(self, setup, back_office, client):
        back_office.withdraw_offer()

        response = client.get(
            f"/api/v1/centers/{setup.center.pk}/slots",
            {"service": setup.service.pk, "date": DAY.isoformat()},
        )

        assert response.status_code == 409
        assert response.json() == {"detail": REFUSAL, "code": "service_not_offered"}
        assert Slot.objects.count() == 0

    @pytest.mark.parametrize("path", ["/appointments", "/appointments/holds"])
    def test_booking_and_holding_answer_409_and_write_nothing(
        self, setup, back_office, client, path
    ):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        back_office.withdraw_offer()
        before = written()

        response = post(client, path, booking_body(setup, slot))

        assert response.status_code == 409
        assert response.json() == {"detail": REFUSAL, "code": "service_not_offered"}
        assert written() == before

    def test_a_confirmation_answers_409_and_keeps_the_hold(self, setup, back_office, client):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        held = actions.hold(slot.pk, setup.service)
        back_office.withdraw_offer()
        before = written()

        response = post(
            client,
            f"/appointments/holds/{held.token}/confirm",
            {"document_type": "dni", "document_number": DNI, "email": "ana@example.pe"},
        )

        assert response.status_code == 409
        assert response.json() == {"detail": REFUSAL, "code": "service_not_offered"}
        assert written() == before

    def test_a_reschedule_answers_409_to_the_holder(self, setup, back_office, client):
        first, second = actions.open_day(setup.center, setup.service, DAY)[:2]
        booking = book(setup, first)
        back_office.withdraw_offer()
        before = written()

        response = post(
            client,
            f"/appointments/{booking.code}/reschedule",
            {"document_type": "dni", "document_number": DNI, "slot": second.pk},
        )

        assert response.status_code == 409
        assert response.json() == {"detail": FOR_HOLDER, "code": "service_not_offered"}
        assert written() == before

    def test_the_waitlist_answers_409(self, setup, back_office, client):
        back_office.withdraw_offer()
        before = written()

        response = post(
            client,
            "/appointments/waitlist",
            {
                "center": setup.center.pk,
                "service": setup.service.pk,
                "date": DAY.isoformat(),
                "document_type": "dni",
                "document_number": DNI,
                "email": "ana@example.pe",
            },
        )

        assert response.status_code == 409
        assert response.json() == {"detail": REFUSAL, "code": "service_not_offered"}
        assert written() == before

    def test_the_openapi_names_the_refusal(self, client):
        spec = client.get("/api/v1/openapi.json").json()

        for path, method in [
            ("/api/v1/centers/{center_id}/slots", "get"),
            ("/api/v1/appointments", "post"),
            ("/api/v1/appointments/holds", "post"),
            ("/api/v1/appointments/holds/{token}/confirm", "post"),
            ("/api/v1/appointments/{code}/reschedule", "post"),
            ("/api/v1/appointments/waitlist", "post"),
        ]:
            description = spec["paths"][path][method]["description"]
            assert "409 service_not_offered" in description, path
