from __future__ import annotations

import pytest
from django.test import Client

from mac.catalog.models import Entity, Service

from .conftest import Catalog, json_ld_of


@pytest.mark.django_db
class TestServicePage:
    def test_it_shows_the_fee_in_soles_and_as_percent_of_the_uit(
        self, client: Client, catalog: Catalog
    ) -> None:
        response = client.get(catalog.passport.get_absolute_url())

        assert response.status_code == 200
        html = response.content.decode()
        assert "S/ 120.90" in html
        # 120.90 / 5,500.00 = 2.198...%
        assert "2.20 % de la UIT" in html
        assert "S/ 5,500.00" in html

    def test_it_shows_free_services_as_gratuito(self, client: Client, catalog: Catalog) -> None:
        catalog.passport.fee = None
        catalog.passport.save(update_fields=["fee"])

        html = client.get(catalog.passport.get_absolute_url()).content.decode()

        assert "Gratuito" in html
        assert "S/ 0.00" not in html

    def test_it_shows_the_deadline_in_business_days(self, client: Client, catalog: Catalog) -> None:
        html = client.get(catalog.licence.get_absolute_url()).content.decode()

        assert "7 días hábiles" in html

    def test_it_shows_an_immediate_deadline(self, client: Client, catalog: Catalog) -> None:
        html = client.get(catalog.passport.get_absolute_url()).content.decode()

        assert "Inmediato" in html

    def test_it_lists_the_requirements_in_order_with_notes_and_forms(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get(catalog.licence.get_absolute_url()).content.decode()

        first = html.index("Solicitud firmada.")
        second = html.index("Certificado de salud para licencias de conducir vigente.")
        third = html.index("Aprobar el examen de manejo.")
        assert first < second < third
        assert "Lo emite un establecimiento de salud autorizado." in html
        assert '<a href="https://www.gob.pe/formulario-f01">Formulario F-01</a>' in html

    def test_it_explains_qualification_silence_and_appeals(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get(catalog.licence.get_absolute_url()).content.decode()

        assert "Evaluación previa" in html
        assert "Silencio positivo" in html
        assert "tu solicitud se considera aprobada" in html
        assert "Recurso de reconsideración: lo resuelve Dirección de Circulación Vial." in html
        assert (
            "Recurso de apelación: lo resuelve Dirección General de Autorizaciones en Transportes."
            in html
        )
        assert "Dirección de Circulación Vial" in html
        assert "DS 007-2016-MTC" in html

    def test_it_explains_automatic_approval_without_silence(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get(catalog.passport.get_absolute_url()).content.decode()

        assert "Aprobación automática" in html
        assert "se aprueba en el momento de presentarla" in html
        assert "Silencio" not in html

    def test_it_shows_names_entity_appointment_and_channels(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get(catalog.licence.get_absolute_url()).content.decode()

        assert "<h1" in html and "Licencia de conducir</h1>" in html
        assert "Emisión o duplicado de licencia de conducir clase A categoría I" in html
        assert "Ministerio de Transportes y Comunicaciones (MTC)" in html
        assert "Necesitas cita previa" in html
        assert "Aló MAC" in html and 'href="tel:1800"' in html
        assert 'href="https://www.gob.pe/"' in html

    def test_it_links_only_active_offers_at_operating_centers(
        self, client: Client, catalog: Catalog
    ) -> None:
        catalog.passport.offers.filter(center=catalog.arequipa).update(active=False)

        html = client.get(catalog.passport.get_absolute_url()).content.decode()

        assert f'href="{catalog.lima_norte.get_absolute_url()}"' in html
        assert catalog.arequipa.get_absolute_url() not in html

    def test_it_marks_illustrative_data(self, client: Client, catalog: Catalog) -> None:
        html = client.get(catalog.licence.get_absolute_url()).content.decode()

        assert "Datos ilustrativos" in html

    def test_it_publishes_government_service_json_ld(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get(catalog.passport.get_absolute_url()).content.decode()

        data = json_ld_of(html)
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "GovernmentService"
        assert data["name"] == "Pasaporte electrónico"
        assert data["serviceType"] == "Documentos de identidad y viaje"
        assert data["provider"] == {
            "@type": "GovernmentOrganization",
            "name": "Superintendencia Nacional de Migraciones",
            "alternateName": "MIGRACIONES",
            "url": "https://www.gob.pe/migraciones",
        }
        assert data["areaServed"] == {"@type": "Country", "name": "Perú"}
        assert data["offers"] == {"@type": "Offer", "price": "120.90", "priceCurrency": "PEN"}
        center_channel = data["availableChannel"][0]
        assert center_channel["@type"] == "ServiceChannel"
        locations = [loc["name"] for loc in center_channel["serviceLocation"]]
        assert locations == ["Centro MAC Arequipa", "Centro MAC Lima Norte"]

    def test_its_json_ld_has_phone_and_url_channels(self, client: Client, catalog: Catalog) -> None:
        data = json_ld_of(client.get(catalog.licence.get_absolute_url()).content.decode())

        by_name = {c["name"]: c for c in data["availableChannel"]}
        assert by_name["Aló MAC"]["servicePhone"]["telephone"] == "1800"
        assert by_name["En línea (plataforma de la entidad)"]["serviceUrl"] == "https://www.gob.pe/"
        assert data["offers"]["price"] == "24.70"

    def test_its_json_ld_cannot_be_closed_by_a_value(
        self, client: Client, catalog: Catalog
    ) -> None:
        catalog.passport.description = "</script><script>alert(1)</script>"
        catalog.passport.save(update_fields=["description"])

        html = client.get(catalog.passport.get_absolute_url()).content.decode()

        assert "<script>alert(1)" not in html
        assert json_ld_of(html)["description"] == "</script><script>alert(1)</script>"

    def test_it_answers_404_for_an_unknown_service(self, client: Client, catalog: Catalog) -> None:
        response = client.get("/servicios/no-existe/")

        assert response.status_code == 404
        assert "Página no encontrada" in response.content.decode()

    def test_it_answers_404_for_a_draft_service(self, client: Client, catalog: Catalog) -> None:
        assert client.get(catalog.draft.get_absolute_url()).status_code == 404

    def test_it_answers_404_when_the_entity_is_suspended(
        self, client: Client, catalog: Catalog
    ) -> None:
        Entity.objects.filter(pk=catalog.mtc.pk).update(status=Entity.Status.SUSPENDED)

        assert client.get(catalog.licence.get_absolute_url()).status_code == 404

    def test_it_answers_404_for_a_withdrawn_service(self, client: Client, catalog: Catalog) -> None:
        Service.objects.filter(pk=catalog.passport.pk).update(status=Service.Status.WITHDRAWN)

        assert client.get(catalog.passport.get_absolute_url()).status_code == 404
