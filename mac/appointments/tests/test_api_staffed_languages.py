"""The appointments API refuses what the queue would refuse at check-in: a
service no active counter of the center serves (409 `service_unstaffed`) and
a language of attention none serves it in (409 `language_unavailable`),
with nothing written; it takes and answers the language of attention apart
from the notices' language, and its OpenAPI says so."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.appointments.testing import DNI
from mac.core.models import AuditLog, Event
from mac.queueing import cache
from mac.queueing.models import Counter
from mac.queueing.testing import make_counter

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)
UNSTAFFED = (
    "Por ahora ningún módulo de Centro MAC Lima Norte atiende «Duplicado de DNI»: no puedes"
    " reservar una cita de este trámite en ese centro. Elige otro Centro MAC."
)
IN_QUECHUA = (
    "Ningún módulo de Centro MAC Lima Norte atiende «Duplicado de DNI» en quechua. Elige otra"
    " lengua de atención (en castellano siempre te atienden) u otro Centro MAC."
)


def post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def written() -> tuple:
    return (
        Slot.objects.count(),
        list(Slot.objects.order_by("pk").values_list("taken", flat=True)),
        Booking.objects.count(),
        WaitlistEntry.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
    )


def unstaff(setup) -> None:
    Counter.objects.filter(center=setup.center).update(active=False)
    cache.clear()  # as the back office's save does (mac.queueing.actions.save_counter)


def body(setup, slot, **extra):
    return {
        "slot": slot.pk,
        "service": setup.service.pk,
        "document_type": "dni",
        "document_number": DNI,
        "email": "ana@example.pe",
        **extra,
    }


class TestUnstaffed:
    def test_the_slots_answer_409_and_store_nothing(self, setup, client):
        unstaff(setup)

        response = client.get(
            f"/api/v1/centers/{setup.center.pk}/slots",
            {"service": setup.service.pk, "date": DAY.isoformat()},
        )

        assert response.status_code == 409
        assert response.json() == {"detail": UNSTAFFED, "code": "service_unstaffed"}
        assert Slot.objects.count() == 0

    @pytest.mark.parametrize("path", ["/appointments", "/appointments/holds"])
    def test_booking_and_holding_answer_409_and_write_nothing(self, setup, client, path):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        unstaff(setup)
        before = written()

        response = post(client, path, body(setup, slot))

        assert response.status_code == 409
        assert response.json() == {"detail": UNSTAFFED, "code": "service_unstaffed"}
        assert written() == before

    def test_the_waitlist_answers_409(self, setup, client):
        unstaff(setup)
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

        assert (response.status_code, response.json()["code"]) == (409, "service_unstaffed")
        assert written() == before


class TestAttentionLanguage:
    def test_it_books_in_spanish_by_default_whatever_the_notices(self, setup, client):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]

        response = post(client, "/appointments", body(setup, slot, language="qu"))

        assert response.status_code == 201
        data = response.json()
        assert (data["language"], data["attention_language"]) == ("qu", "es")

    def test_it_refuses_a_language_no_counter_serves(self, setup, client):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        before = written()

        response = post(client, "/appointments", body(setup, slot, attention_language="qu"))

        assert response.status_code == 409
        assert response.json() == {"detail": IN_QUECHUA, "code": "language_unavailable"}
        assert written() == before

    def test_it_refuses_an_unknown_language(self, setup, client):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        before = written()

        response = post(client, "/appointments", body(setup, slot, attention_language="en"))

        assert response.status_code == 422
        assert response.json()["detail"] == "Datos no válidos: attention_language."
        assert written() == before

    def test_it_books_a_served_language(self, setup, client):
        make_counter(
            setup.center, setup.personas.reniec, 2, [setup.service], languages=["es", "lsp"]
        )
        slot = actions.open_day(setup.center, setup.service, DAY)[0]

        response = post(client, "/appointments", body(setup, slot, attention_language="lsp"))

        assert response.status_code == 201
        assert response.json()["attention_language"] == "lsp"
        assert Booking.objects.get().attention_language == "lsp"

    def test_a_confirmation_takes_it_too(self, setup, client):
        slot = actions.open_day(setup.center, setup.service, DAY)[0]
        held = post(client, "/appointments/holds", {"slot": slot.pk, "service": setup.service.pk})
        token = held.json()["token"]
        contact = {"document_type": "dni", "document_number": DNI, "email": "ana@example.pe"}

        refused = post(
            client, f"/appointments/holds/{token}/confirm", {**contact, "attention_language": "ay"}
        )
        confirmed = post(
            client, f"/appointments/holds/{token}/confirm", {**contact, "attention_language": "es"}
        )

        assert (refused.status_code, refused.json()["code"]) == (409, "language_unavailable")
        assert confirmed.status_code == 201
        assert confirmed.json()["attention_language"] == "es"

    def test_the_waitlist_refuses_a_language_no_counter_serves(self, setup, client):
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
                "attention_language": "qu",
            },
        )

        assert (response.status_code, response.json()["code"]) == (409, "language_unavailable")
        assert written() == before


def test_the_openapi_names_both_refusals_of_a_check_in(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/appointments/{code}/check-in"]["post"]

    assert "409 service_unstaffed" in operation["description"]
    assert "409 language_unavailable" in operation["description"]
    for path, method in [
        ("/api/v1/centers/{center_id}/slots", "get"),
        ("/api/v1/appointments", "post"),
        ("/api/v1/appointments/holds", "post"),
        ("/api/v1/appointments/{code}/reschedule", "post"),
        ("/api/v1/appointments/waitlist", "post"),
    ]:
        assert "409 service_unstaffed" in spec["paths"][path][method]["description"], path
