import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mac.catalog.models import UIT, Entity, Synonym
from mac.core.testing import make_center, make_entity, make_service


@pytest.fixture
def catalog(db: None) -> dict[str, object]:
    UIT.objects.create(year=dt.date.today().year, value=Decimal("5500"))
    mtc = make_entity("MTC", name="Ministerio de Transportes y Comunicaciones")
    migraciones = make_entity("MIGRACIONES", name="Superintendencia Nacional de Migraciones")
    sur = make_center("lima-sur", name="Centro MAC Lima Sur", district="150142")
    licencia = make_service(
        mtc,
        "Emisión o duplicado de licencia de conducir clase A",
        plain_name="Licencia de conducir",
        fee=Decimal("6.80"),
        centers=[sur],
        requirements=["Presentar el DNI.", "Aprobar el examen de manejo."],
        channels=["center", "online"],
        deadline_days=None,
        requires_appointment=True,
    )
    pasaporte = make_service(
        migraciones,
        "Emisión de pasaporte electrónico",
        plain_name="Pasaporte electrónico",
        fee=Decimal("120.90"),
        centers=[sur],
    )
    Synonym.objects.create(term="brevete", expansion="licencia de conducir")
    return {"licencia": licencia, "pasaporte": pasaporte, "sur": sur}


class TestServicesApi:
    def test_it_searches_with_citizen_words(self, client: Client, catalog: dict) -> None:
        response = client.get("/api/v1/services", {"q": "brevete"})
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        result = body["results"][0]
        assert result["plain_name"] == "Licencia de conducir"
        assert result["entity"]["acronym"] == "MTC"
        assert result["fee"] == "6.80"
        assert result["fee_uit_percent"] == "0.12"
        assert result["requires_appointment"] is True
        assert result["channels"] == ["center", "online"]

    def test_it_paginates(self, client: Client, catalog: dict) -> None:
        body = client.get("/api/v1/services", {"page_size": 1, "page": 2}).json()
        assert (body["count"], body["page"], len(body["results"])) == (2, 2, 1)
        assert body["results"][0]["plain_name"] == "Pasaporte electrónico"

    def test_it_filters_by_center_and_entity(self, client: Client, catalog: dict) -> None:
        by_center = client.get("/api/v1/services", {"center": "lima-sur"}).json()
        assert by_center["count"] == 2
        by_entity = client.get("/api/v1/services", {"entity": "migraciones"}).json()
        assert [r["plain_name"] for r in by_entity["results"]] == ["Pasaporte electrónico"]

    def test_it_shows_every_tupa_field(self, client: Client, catalog: dict) -> None:
        service = catalog["licencia"]
        body = client.get(f"/api/v1/services/{service.id}").json()
        assert body["name"] == "Emisión o duplicado de licencia de conducir clase A"
        assert [r["text"] for r in body["requirements"]] == [
            "Presentar el DNI.",
            "Aprobar el examen de manejo.",
        ]
        assert body["qualification"] == "automatic"
        assert body["competent_unit"] == "Unidad de Atención al Ciudadano"
        assert body["legal_basis"] == "TUO de la Ley 27444"
        assert body["centers"] == [
            {"id": catalog["sur"].id, "slug": "lima-sur", "name": "Centro MAC Lima Sur"}
        ]
        assert [c["channel"] for c in body["channel_details"]] == ["center", "online"]

    def test_it_answers_404_for_unknown_ids(self, client: Client, catalog: dict) -> None:
        assert client.get("/api/v1/services/999999").status_code == 404
        assert client.get("/api/v1/services/abc").status_code == 422
        assert client.get("/api/v1/services/99999999999999999999999").status_code in (404, 422)
        response = client.get("/api/v1/services", {"entity": "NOEXISTE"})
        assert response.status_code == 404
        assert "NOEXISTE" in response.json()["detail"]

    def test_it_rejects_unknown_channels(self, client: Client, catalog: dict) -> None:
        assert client.get("/api/v1/services", {"channel": "fax"}).status_code == 422

    def test_it_rejects_overlong_queries_clearly(self, client: Client, catalog: dict) -> None:
        response = client.get("/api/v1/services", {"q": "x" * 5000})
        assert response.status_code == 422
        assert "200 caracteres" in response.json()["detail"]

    @pytest.mark.parametrize(
        "params",
        [
            {"q": "%"},
            {"q": "_"},
            {"q": "' OR 1=1 --"},
            {"q": '"'},
            {"q": "li\x00cencia"},
            {"q": "🚗🪪"},
            {"entity": "%"},
            {"entity": "\x00"},
            {"center": "_"},
            {"center": "🏢"},
            {"center": "9" * 40},
            {"page": "0"},
            {"page": "abc"},
            {"page": "999999"},
            {"page_size": "1000"},
        ],
    )
    def test_it_never_fails_on_bad_input(
        self, client: Client, catalog: dict, params: dict[str, str]
    ) -> None:
        response = client.get("/api/v1/services", params)
        assert response.status_code in (200, 404, 422), response.content

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(q=st.text(max_size=300), entity=st.text(max_size=30), center=st.text(max_size=30))
    def test_it_never_fails_on_any_text(
        self, client: Client, catalog: dict, q: str, entity: str, center: str
    ) -> None:
        response = client.get("/api/v1/services", {"q": q, "entity": entity, "center": center})
        assert response.status_code in (200, 404, 422)


class TestEntitiesApi:
    def test_it_lists_entities_with_service_counts(self, client: Client, catalog: dict) -> None:
        body = client.get("/api/v1/entities").json()
        assert [(e["acronym"], e["services"]) for e in body] == [("MIGRACIONES", 1), ("MTC", 1)]

    def test_a_suspended_entity_counts_no_published_services(
        self, client: Client, catalog: dict
    ) -> None:
        # Given MTC suspended: its published licence leaves the portal and the search
        Entity.objects.filter(acronym="MTC").update(status=Entity.Status.SUSPENDED)
        assert client.get("/api/v1/services", {"q": "licencia"}).json()["count"] == 0

        # When a client lists the entities
        body = client.get("/api/v1/entities").json()

        # Then MTC is listed with its status and no published service
        assert [(e["acronym"], e["status"], e["services"]) for e in body] == [
            ("MIGRACIONES", "active", 1),
            ("MTC", "suspended", 0),
        ]


class TestOpenApi:
    def test_it_publishes_every_endpoint(self, client: Client, db: None) -> None:
        spec = client.get("/api/v1/openapi.json").json()
        assert {
            "/api/v1/services",
            "/api/v1/services/{service_id}",
            "/api/v1/entities",
            "/api/v1/centers",
            "/api/v1/centers/{center_id}",
        } <= set(spec["paths"])
