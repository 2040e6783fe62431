"""The appointments API: exact answers, clear 4xx, nothing changed on refusal.

As deployed, an anonymous client proves work before it takes a place
(test_api_pow.py): here it does so with the cheapest challenges."""

import datetime as dt

import pytest

from mac.accounts.models import Role
from mac.appointments import actions
from mac.appointments.models import Booking, Slot
from mac.appointments.testing import DNI, OTHER_DNI
from mac.core import pow
from mac.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)


@pytest.fixture
def setup(setup, settings):
    settings.APPOINTMENTS = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}
    return setup


@pytest.fixture
def slots(setup):
    return actions.open_day(setup.center, setup.service, DAY)


def post(client, path, body, **kw):
    return client.post(f"/api/v1{path}", body, content_type="application/json", **kw)


def proof(client):
    """The header of an anonymous client that solved a fresh challenge."""
    challenge = client.get("/api/v1/appointments/challenge").json()
    return {"HTTP_X_PROOF_OF_WORK": pow.solve(challenge)}


def booking_body(setup, slot, change=None, **kw):
    body = {
        "slot": slot.pk,
        "service": setup.service.pk,
        "document_type": "dni",
        "document_number": DNI,
        "email": "ana@example.pe",
    }
    body.update(change or {}, **kw)
    return body


def test_slots_list_ids_times_with_offset_capacity_and_availability(setup, slots, client):
    actions.book(
        slots[0].pk, setup.service, document_type="dni", document_number=OTHER_DNI, email="b@x.pe"
    )
    response = client.get(
        f"/api/v1/centers/{setup.center.pk}/slots",
        {"service": setup.service.pk, "date": "2026-12-02"},
    )
    assert response.status_code == 200
    first, second = response.json()[:2]
    assert first == {
        "id": slots[0].pk,
        "start": "2026-12-02T08:30:00-05:00",
        "end": "2026-12-02T08:50:00-05:00",
        "capacity": 1,
        "available": 0,
    }
    assert (second["start"], second["available"]) == ("2026-12-02T08:50:00-05:00", 1)


@pytest.mark.parametrize(
    ("label", "date", "status", "code"),
    [
        ("past", "2026-11-30", 422, "past_date"),
        ("holiday", "2026-12-08", 422, "closed_day"),
        ("Sunday", "2026-12-06", 422, "closed_day"),
    ],
)
def test_slots_of_a_day_without_appointments_are_a_clear_4xx(
    setup, client, label, date, status, code
):
    response = client.get(
        f"/api/v1/centers/{setup.center.pk}/slots", {"service": setup.service.pk, "date": date}
    )
    assert (response.status_code, response.json()["code"]) == (status, code), label
    assert Slot.objects.count() == 0


def test_booking_answers_201_with_the_code(setup, slots, client):
    response = post(client, "/appointments", booking_body(setup, slots[1]), **proof(client))
    assert response.status_code == 201
    data = response.json()
    booking = Booking.objects.get()
    assert data == {
        "code": booking.code,
        "status": "confirmed",
        "slot": slots[1].pk,
        "service": setup.service.pk,
        "center": setup.center.pk,
        "start": "2026-12-02T08:50:00-05:00",
        "end": "2026-12-02T09:10:00-05:00",
        "channel": "api",
        "language": "es",
        "attention_language": "es",
        "sequence": 0,
        "ticket": None,
        "cancelled_by_center": "",
    }
    assert booking.client_address == "127.0.0.1"


@pytest.mark.parametrize(
    ("label", "change", "status", "code"),
    [
        ("invalid DNI", {"document_number": "123"}, 422, "invalid_document"),
        ("no contact", {"email": ""}, 422, "no_contact"),
        ("unknown slot", {"slot": 999999}, 404, "slot_not_found"),
    ],
)
def test_bad_bookings_are_refused_with_nothing_stored(
    setup, slots, client, label, change, status, code
):
    response = post(client, "/appointments", booking_body(setup, slots[0], change), **proof(client))
    assert (response.status_code, response.json()["code"]) == (status, code), label
    assert Booking.objects.count() == 0
    assert Slot.objects.get(pk=slots[0].pk).taken == 0


def test_a_landline_is_a_422_with_nothing_stored(setup, slots, client):
    body = booking_body(setup, slots[0], email="", phone="014567890")
    response = post(client, "/appointments", body, **proof(client))
    assert response.status_code == 422
    assert Booking.objects.count() == 0
    assert Slot.objects.get(pk=slots[0].pk).taken == 0


def test_a_malformed_body_is_a_422(setup, slots, client):
    response = post(client, "/appointments", {"slot": "x", "service": setup.service.pk})
    assert response.status_code == 422
    assert Booking.objects.count() == 0


def test_a_full_slot_and_a_limit_are_409(setup, slots, client):
    assert (
        post(client, "/appointments", booking_body(setup, slots[0]), **proof(client)).status_code
        == 201
    )
    full = post(
        client,
        "/appointments",
        booking_body(setup, slots[0], document_number=OTHER_DNI),
        **proof(client),
    )
    limit = post(client, "/appointments", booking_body(setup, slots[1]), **proof(client))
    assert (full.status_code, full.json()["code"]) == (409, "slot_full")
    assert (limit.status_code, limit.json()["code"]) == (409, "limit_document_service")
    assert Booking.objects.count() == 1


def test_hold_then_confirm_through_the_api(setup, slots, client, clock):
    held = post(
        client,
        "/appointments/holds",
        {"slot": slots[2].pk, "service": setup.service.pk},
        **proof(client),
    )
    assert held.status_code == 201
    assert held.json()["hold_until"] == "2026-12-01T09:07:00-05:00"
    token = held.json()["token"]
    body = {"document_type": "dni", "document_number": DNI, "phone": "987654321"}
    confirmed = post(client, f"/appointments/holds/{token}/confirm", body)
    again = post(client, f"/appointments/holds/{token}/confirm", body)
    assert (confirmed.status_code, confirmed.json()["status"]) == (201, "confirmed")
    assert (again.status_code, again.json()["code"]) == (409, "already_confirmed")


def test_an_expired_hold_is_a_409(setup, slots, client, clock):
    token = post(
        client,
        "/appointments/holds",
        {"slot": slots[2].pk, "service": setup.service.pk},
        **proof(client),
    ).json()["token"]
    clock.shift(dt.timedelta(minutes=8))
    response = post(
        client,
        f"/appointments/holds/{token}/confirm",
        {"document_type": "dni", "document_number": DNI, "email": "a@x.pe"},
    )
    assert (response.status_code, response.json()["code"]) == (409, "hold_expired")
    assert Booking.objects.get().status in ("held", "expired")
    assert Booking.objects.get().document_number == ""


def test_reschedule_and_cancel_with_code_and_document(setup, slots, client):
    code = post(client, "/appointments", booking_body(setup, slots[0]), **proof(client)).json()[
        "code"
    ]
    person = {"document_type": "dni", "document_number": DNI}
    wrong = post(
        client,
        f"/appointments/{code}/cancel",
        {"document_type": "dni", "document_number": OTHER_DNI},
    )
    assert (wrong.status_code, wrong.json()["code"]) == (404, "booking_not_found")
    moved = post(client, f"/appointments/{code}/reschedule", {**person, "slot": slots[4].pk})
    assert (moved.status_code, moved.json()["slot"], moved.json()["sequence"]) == (
        200,
        slots[4].pk,
        1,
    )
    cancelled = post(client, f"/appointments/{code}/cancel", person)
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert dict(
        Slot.objects.filter(pk__in=[slots[0].pk, slots[4].pk]).values_list("pk", "taken")
    ) == {
        slots[0].pk: 0,
        slots[4].pk: 0,
    }


@pytest.mark.parametrize("channel", ["portal", "waitlist"])
def test_an_api_client_cannot_book_as_the_portal_or_the_waitlist(setup, slots, client, channel):
    """The portal's channel is its pages, behind a proof of work; the
    waitlist's is its offers."""
    response = post(client, "/appointments", booking_body(setup, slots[0], channel=channel))
    assert response.status_code == 422
    assert Booking.objects.count() == 0
    assert Slot.objects.get(pk=slots[0].pk).taken == 0


def test_an_api_client_books_as_api_by_default(setup, slots, client):
    response = post(client, "/appointments", booking_body(setup, slots[0]), **proof(client))
    assert (response.status_code, response.json()["channel"]) == (201, "api")
    assert Booking.objects.get().channel == "api"


@pytest.mark.parametrize("channel", ["portal", "waitlist"])
def test_an_operator_cannot_book_as_the_portal_or_the_waitlist(setup, slots, channel):
    from django.test import Client

    from mac.accounts.apikeys import create_key

    _, key = create_key(make_user("olga", Role.CALL_CENTER), "Central Aló MAC")
    body = booking_body(setup, slots[0], channel=channel)
    response = post(Client(), "/appointments", body, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 422
    assert Booking.objects.count() == 0


def test_an_operator_books_by_phone_and_is_recorded(setup, slots):
    from django.test import Client

    operator = make_user("olga", Role.CALL_CENTER)
    body = booking_body(setup, slots[0], channel="phone")
    anonymous = post(Client(), "/appointments", body)
    assert (anonymous.status_code, anonymous.json()["code"]) == (403, "operator")
    client = Client(enforce_csrf_checks=True)
    client.login(username="olga", password=PASSWORD)
    client.cookies["csrftoken"] = "k" * 32
    forged = post(client, "/appointments", body)
    assert (forged.status_code, forged.json()["code"]) == (403, "csrf")
    assert Booking.objects.count() == 0
    response = post(client, "/appointments", body, HTTP_X_CSRFTOKEN="k" * 32)
    assert response.status_code == 201
    booking = Booking.objects.get()
    assert (booking.channel, booking.operator) == ("phone", operator)


def test_check_in_needs_staff_of_the_center(setup, client, clock):
    today = next(iter(actions.open_day(setup.center, setup.service, dt.date(2026, 12, 1))))
    booking = actions.book(
        today.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    clock.move_to(today.start - dt.timedelta(minutes=5))
    person = {"document_type": "dni", "document_number": DNI, "source": "orientation"}
    assert post(client, f"/appointments/{booking.code}/check-in", person).status_code == 401
    make_user("otra", Role.ORIENTATION, center=setup.personas.arequipa)
    client.login(username="otra", password=PASSWORD)
    response = post(client, f"/appointments/{booking.code}/check-in", person)
    assert (response.status_code, response.json()["code"]) == (403, "not_this_center")
    make_user("orienta", Role.ORIENTATION, center=setup.center)
    client.login(username="orienta", password=PASSWORD)
    response = post(client, f"/appointments/{booking.code}/check-in", person)
    assert response.status_code == 200
    assert response.json()["status"] == "checked_in"
    assert response.json()["ticket"].startswith("R-")


def test_every_endpoint_is_in_the_openapi_spec(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/centers/{center_id}/slots",
        "/api/v1/appointments",
        "/api/v1/appointments/holds",
        "/api/v1/appointments/holds/{token}/confirm",
        "/api/v1/appointments/{code}/reschedule",
        "/api/v1/appointments/{code}/cancel",
        "/api/v1/appointments/{code}/lookup",
        "/api/v1/appointments/{code}/check-in",
        "/api/v1/appointments/waitlist",
        "/api/v1/appointments/challenge",
    ]:
        assert path in paths, path


def test_a_telephony_system_books_by_phone_with_an_operators_key(setup, slots):
    from django.test import Client

    from mac.accounts.apikeys import create_key

    operator = make_user("olga", Role.CALL_CENTER)
    _, key = create_key(operator, "Central Aló MAC")
    client = Client(enforce_csrf_checks=True)  # a key needs no CSRF token
    body = booking_body(setup, slots[0], channel="phone")

    response = post(client, "/appointments", body, HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 201
    booking = Booking.objects.get()
    assert (booking.channel, booking.operator, booking.slot_id) == ("phone", operator, slots[0].pk)


@pytest.mark.parametrize("whose", ["wrong", "advisor"])
def test_a_wrong_key_or_a_key_without_the_operator_role_books_nothing(setup, slots, whose):
    from django.test import Client

    from mac.accounts.apikeys import create_key

    advisor = make_user("ramon", Role.ADVISOR, entity=setup.service.entity, center=setup.center)
    _, key = create_key(advisor, "Tableta")
    sent = key[:-1] + ("A" if key[-1] != "A" else "B") if whose == "wrong" else key
    body = booking_body(setup, slots[0], channel="phone")

    response = post(Client(), "/appointments", body, HTTP_AUTHORIZATION=f"Bearer {sent}")

    expected = (401, "unauthenticated") if whose == "wrong" else (403, "role")
    assert (response.status_code, response.json().get("code")) == expected
    assert Booking.objects.count() == 0
    assert Slot.objects.get(pk=slots[0].pk).taken == 0


def test_a_kiosk_checks_in_with_the_key_of_the_centers_orientation_staff(setup, clock):
    from django.test import Client

    from mac.accounts.apikeys import create_key

    today = next(iter(actions.open_day(setup.center, setup.service, dt.date(2026, 12, 1))))
    booking = actions.book(
        today.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    clock.move_to(today.start - dt.timedelta(minutes=5))
    kiosk_staff = make_user("kiosko", Role.ORIENTATION, center=setup.center)
    _, key = create_key(kiosk_staff, "Kiosko 1", source="kiosk")
    person = {"document_type": "dni", "document_number": DNI, "source": "kiosk"}

    response = post(
        Client(enforce_csrf_checks=True),
        f"/appointments/{booking.code}/check-in",
        person,
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    assert (response.status_code, response.json()["status"]) == (200, "checked_in")
    assert response.json()["ticket"].startswith("R-")


def _booking_due_now(setup, clock):
    today = next(iter(actions.open_day(setup.center, setup.service, dt.date(2026, 12, 1))))
    booking = actions.book(
        today.pk, setup.service, document_type="dni", document_number=DNI, email="a@x.pe"
    )
    clock.move_to(today.start - dt.timedelta(minutes=5))
    return booking


def _check_in_with_key(booking, key, source=None):
    from django.test import Client

    person = {"document_type": "dni", "document_number": DNI}
    if source is not None:
        person["source"] = source
    return post(
        Client(enforce_csrf_checks=True),
        f"/appointments/{booking.code}/check-in",
        person,
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )


def _checked_in_from(booking):
    from mac.core.models import AuditLog

    return AuditLog.objects.get(action="appointments.check_in", object_id=str(booking.pk)).data[
        "source"
    ]


@pytest.mark.parametrize(
    ("key_source", "sent", "recorded"),
    [
        ("api", None, "api"),
        ("api", "api", "api"),
        ("kiosk", None, "kiosk"),
        ("kiosk", "qr", "qr"),
        ("desk", None, "orientation"),
    ],
)
def test_a_keys_check_in_is_recorded_where_its_key_says(setup, clock, key_source, sent, recorded):
    from mac.accounts.apikeys import create_key

    booking = _booking_due_now(setup, clock)
    staff = make_user("orienta", Role.ORIENTATION, center=setup.center)
    _, key = create_key(staff, "Sistema", source=key_source)

    response = _check_in_with_key(booking, key, sent)

    assert (response.status_code, response.json()["status"]) == (200, "checked_in")
    assert _checked_in_from(booking) == recorded


@pytest.mark.parametrize(
    ("key_source", "claimed"),
    [("api", "orientation"), ("api", "kiosk"), ("kiosk", "orientation"), ("desk", "kiosk")],
)
def test_a_key_may_not_claim_another_place_of_check_in(setup, clock, key_source, claimed):
    from mac.accounts.apikeys import create_key
    from mac.core.models import AuditLog
    from mac.queueing.models import Ticket

    # Given a key of the center's orientation staff, made for one kind of system
    booking = _booking_due_now(setup, clock)
    staff = make_user("orienta", Role.ORIENTATION, center=setup.center)
    _, key = create_key(staff, "Sistema", source=key_source)

    # When its system says the citizen checked in somewhere else
    response = _check_in_with_key(booking, key, claimed)

    # Then it is refused and nothing changes
    assert (response.status_code, response.json()["code"]) == (403, "source")
    booking.refresh_from_db()
    assert (booking.status, booking.ticket_id) == ("confirmed", None)
    assert Ticket.objects.count() == 0
    assert not AuditLog.objects.filter(action="appointments.check_in").exists()


def test_a_session_checks_in_at_the_desk_and_may_not_claim_the_kiosk(setup, client, clock):
    from mac.queueing.models import Ticket

    booking = _booking_due_now(setup, clock)
    make_user("orienta", Role.ORIENTATION, center=setup.center)
    client.login(username="orienta", password=PASSWORD)
    person = {"document_type": "dni", "document_number": DNI}

    refused = post(client, f"/appointments/{booking.code}/check-in", {**person, "source": "kiosk"})
    assert (refused.status_code, refused.json()["code"]) == (403, "source")
    assert refused.json()["detail"] == (
        "Con estas credenciales la llegada se registra como «orientation», no «kiosk»."
    )
    assert Ticket.objects.count() == 0

    response = post(client, f"/appointments/{booking.code}/check-in", person)
    assert response.status_code == 200
    assert _checked_in_from(booking) == "orientation"
