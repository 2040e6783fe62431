from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from mac.catalog.models import Offer, Service
from mac.centers.models import OpeningException
from mac.core.calendar import LIMA
from mac.core.testing import make_service

from .conftest import Catalog, json_ld_of

MONDAY_9_AM = dt.datetime(2020, 3, 2, 9, 0, tzinfo=LIMA)
SUNDAY_9_AM = dt.datetime(2020, 3, 8, 9, 0, tzinfo=LIMA)


@pytest.mark.django_db
class TestCenterPage:
    def test_it_shows_the_address_and_place(self, client: Client, catalog: Catalog) -> None:
        response = client.get("/centros/lima-norte/")

        assert response.status_code == 200
        html = response.content.decode()
        assert "<h1" in html and "Centro MAC Lima Norte</h1>" in html
        assert "Av. Los Ángeles 602, Mallplaza Comas" in html
        assert "Frente a la estación Naranjal" in html
        assert "Comas, Lima, Lima" in html
        assert "150110" in html

    def test_it_shows_coordinates_as_text_and_a_map_link(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get("/centros/lima-norte/").content.decode()

        assert "Latitud -11.934500, longitud -77.058600" in html
        assert (
            'href="https://www.openstreetmap.org/?mlat=-11.934500&amp;mlon=-77.058600'
            '#map=17/-11.934500/-77.058600"' in html
        )
        assert "<iframe" not in html

    def test_it_shows_the_weekly_hours(self, client: Client, catalog: Catalog) -> None:
        html = client.get("/centros/lima-norte/").content.decode()

        assert '<th scope="row">Lunes' in html
        assert "08:30–18:30" in html
        assert "08:30–13:30" in html
        sunday = html[html.index('<th scope="row">Domingo') :]
        assert sunday.index("Cerrado") < sunday.index("</tr>")

    def test_it_lists_upcoming_exceptions(self, client: Client, catalog: Catalog) -> None:
        html = client.get("/centros/lima-norte/").content.decode()

        assert "Próximos cambios de horario" in html
        assert "Inventario anual" in html

    def test_it_hides_past_exceptions(self, client: Client, catalog: Catalog) -> None:
        OpeningException.objects.create(
            center=catalog.lima_norte, date=dt.date(2020, 1, 1), reason="Año nuevo pasado"
        )

        assert "Año nuevo pasado" not in client.get("/centros/lima-norte/").content.decode()

    def test_it_says_open_now_on_a_weekday_morning(self, client: Client, catalog: Catalog) -> None:
        with time_machine.travel(MONDAY_9_AM, tick=False):
            html = client.get("/centros/lima-norte/").content.decode()

        assert "Abierto ahora" in html
        assert "Cerrado ahora" not in html

    def test_it_says_closed_now_on_sunday(self, client: Client, catalog: Catalog) -> None:
        with time_machine.travel(SUNDAY_9_AM, tick=False):
            html = client.get("/centros/lima-norte/").content.decode()

        assert "Cerrado ahora" in html
        assert "Abierto ahora" not in html

    def test_it_groups_the_services_by_entity(self, client: Client, catalog: Catalog) -> None:
        html = client.get("/centros/lima-norte/").content.decode()

        migraciones = html.index("Superintendencia Nacional de Migraciones (MIGRACIONES)</h3>")
        mtc = html.index("Ministerio de Transportes y Comunicaciones (MTC)</h3>")
        assert migraciones < mtc
        assert (
            html.index(">Pasaporte electrónico</a>") < mtc < html.index(">Licencia de conducir</a>")
        )
        assert f'href="{catalog.licence.get_absolute_url()}"' in html

    def test_it_leaves_out_drafts_and_inactive_offers(
        self, client: Client, catalog: Catalog
    ) -> None:
        Offer.objects.filter(service=catalog.licence).update(active=False)

        html = client.get("/centros/lima-norte/").content.decode()

        assert "Licencia de conducir" not in html
        assert "Trámite en borrador" not in html

    def test_it_says_when_a_center_is_in_implementation(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get("/centros/ayacucho/").content.decode()

        assert "Este centro está en implementación" in html
        assert "Abierto ahora" not in html

    def test_it_publishes_government_office_json_ld(self, client: Client, catalog: Catalog) -> None:
        data = json_ld_of(client.get("/centros/lima-norte/").content.decode())

        assert data["@type"] == "GovernmentOffice"
        assert data["name"] == "Centro MAC Lima Norte"
        assert data["address"] == {
            "@type": "PostalAddress",
            "streetAddress": "Av. Los Ángeles 602, Mallplaza Comas",
            "addressLocality": "Comas",
            "addressRegion": "Lima",
            "addressCountry": "PE",
        }
        assert data["geo"] == {
            "@type": "GeoCoordinates",
            "latitude": -11.9345,
            "longitude": -77.0586,
        }
        assert data["telephone"] == "(01) 555-0101"
        assert data["email"] == "infomac@pcm.gob.pe"
        assert data["openingHoursSpecification"][0] == {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": "https://schema.org/Monday",
            "opens": "08:30",
            "closes": "18:30",
        }
        assert len(data["openingHoursSpecification"]) == 6
        assert data["specialOpeningHoursSpecification"][0]["opens"] == "00:00"

    def test_its_json_ld_closes_the_holidays_the_page_shows_closed(
        self, client: Client, catalog: Catalog
    ) -> None:
        # Given the Monday before Fiestas Patrias (28 and 29 July, national holidays)
        with time_machine.travel(dt.datetime(2026, 7, 27, 9, 0, tzinfo=LIMA), tick=False):
            # When a search engine reads the center page
            html = client.get("/centros/lima-norte/").content.decode()

        # Then the structured data says closed on the days the page says closed
        special = json_ld_of(html)["specialOpeningHoursSpecification"]
        assert [(s["validFrom"], s["opens"], s["closes"]) for s in special] == [
            ("2026-07-28", "00:00", "00:00"),
            ("2026-07-29", "00:00", "00:00"),
            (catalog.lima_norte.exceptions.get().date.isoformat(), "00:00", "00:00"),
        ]
        assert "<strong>martes 28 de julio</strong>: cerrado" in html

    def test_its_json_ld_claims_no_opening_hours_for_a_center_not_yet_open(
        self, client: Client, catalog: Catalog
    ) -> None:
        # Given Ayacucho, under implementation, with its future weekly hours loaded
        assert catalog.ayacucho.hours.count() == 6

        # When a search engine reads its page
        data = json_ld_of(client.get("/centros/ayacucho/").content.decode())

        # Then it is not told that the center opens (the page says it does not serve yet)
        assert "openingHoursSpecification" not in data
        assert "specialOpeningHoursSpecification" not in data
        assert data["name"] == "Centro MAC Ayacucho"

    def test_it_answers_404_for_an_unknown_center(self, client: Client, catalog: Catalog) -> None:
        assert client.get("/centros/no-existe/").status_code == 404

    def test_it_shows_a_service_with_many_offers_once(
        self, client: Client, catalog: Catalog
    ) -> None:
        make_service(
            catalog.mtc, "Otro", plain_name="Récord de conductor", centers=[catalog.lima_norte]
        )
        Service.objects.filter(plain_name="Récord de conductor").update(requires_appointment=True)

        html = client.get("/centros/lima-norte/").content.decode()

        assert html.count(">Récord de conductor</a>") == 1
        assert "Con cita" in html
