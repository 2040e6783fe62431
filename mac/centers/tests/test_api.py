import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

from mac.catalog.models import Entity, Offer
from mac.centers.models import Center, OpeningException
from mac.core.testing import make_center, make_entity, make_service

LIMA = ZoneInfo("America/Lima")


class TestCentersApi:
    def test_it_lists_centers_with_open_now(self, client: Client, db: None) -> None:
        norte = make_center("lima-norte", name="Centro MAC Lima Norte")
        make_center(
            "ica",
            name="Centro MAC Ica",
            district="110101",
            status=Center.Status.UNDER_IMPLEMENTATION,
        )
        make_service(make_entity("RENIEC"), "Duplicado de DNI", centers=[norte])
        # Tuesday 2026-12-01 10:00 in Lima is 15:00 UTC.
        with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=LIMA), tick=False):
            body = client.get("/api/v1/centers").json()
        assert [(c["slug"], c["open_now"], c["services"]) for c in body] == [
            ("ica", False, 0),
            ("lima-norte", True, 1),
        ]
        assert body[1]["region"] == "Lima"
        assert body[1]["district"] == "Comas"

    def test_it_is_closed_at_night_lima_time(self, client: Client, db: None) -> None:
        make_center("lima-norte")
        # 19:00 in Lima (00:00 UTC next day): closed, though 00:00 UTC is a weekday morning
        # in no time zone that matters here.
        with time_machine.travel(dt.datetime(2026, 12, 1, 19, 0, tzinfo=LIMA), tick=False):
            body = client.get("/api/v1/centers").json()
        assert body[0]["open_now"] is False

    def test_it_shows_a_center_with_hours_and_services(self, client: Client, db: None) -> None:
        norte = make_center("lima-norte", name="Centro MAC Lima Norte")
        service = make_service(make_entity("RENIEC"), "Duplicado de DNI", centers=[norte])
        Offer.objects.create(
            service=make_service(make_entity("SUNAT"), "Clave SOL"), center=norte, active=False
        )
        OpeningException.objects.create(
            center=norte, date=dt.date(2026, 12, 8), reason="Inmaculada Concepción"
        )
        with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=LIMA), tick=False):
            body = client.get(f"/api/v1/centers/{norte.id}").json()
        assert body["offered"] == [
            {
                "id": service.id,
                "slug": service.slug,
                "plain_name": "Duplicado de DNI",
                "entity": "RENIEC",
            }
        ]
        assert body["hours"][0] == {"weekday": 0, "opens": "08:30:00", "closes": "18:30:00"}
        assert body["exceptions"] == [
            {
                "date": "2026-12-08",
                "closed": True,
                "opens": None,
                "closes": None,
                "reason": "Inmaculada Concepción",
            }
        ]

    def test_it_answers_404_for_unknown_centers(self, client: Client, db: None) -> None:
        assert client.get("/api/v1/centers/424242").status_code == 404
        assert client.get("/api/v1/centers/norte").status_code == 422

    def test_it_offers_no_service_of_a_suspended_entity(self, client: Client, db: None) -> None:
        # given: RENIEC active and SUTRAN suspended, both offered at Lima Norte
        norte = make_center("lima-norte")
        dni = make_service(make_entity("RENIEC"), "Duplicado de DNI", centers=[norte])
        sutran = make_entity("SUTRAN", status=Entity.Status.SUSPENDED)
        make_service(sutran, "Licencia", centers=[norte])

        # when
        listing = client.get("/api/v1/centers").json()
        detail = client.get(f"/api/v1/centers/{norte.pk}").json()

        # then: only RENIEC's counts and is offered, as on the portal
        assert listing[0]["services"] == 1
        assert [s["id"] for s in detail["offered"]] == [dni.pk]
