"""A catalog editor works only on their entity's services in the back office."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mac.catalog.models import Requirement, Service
from mac.core.models import AuditLog
from mac.core.testing import Personas, admin_form_data, make_service

CHANGELIST = reverse("admin:catalog_service_changelist")
ADD = reverse("admin:catalog_service_add")


def change_url(service: Service) -> str:
    return reverse("admin:catalog_service_change", args=[service.pk])


@pytest.fixture
def services(personas: Personas) -> dict[str, Service]:
    return {
        "dni": make_service(personas.reniec, "Duplicado del DNI", centers=[personas.lima_norte]),
        "actas": make_service(personas.reniec, "Copia certificada de acta de nacimiento"),
        "ruc": make_service(personas.sunat, "Inscripción al RUC", centers=[personas.arequipa]),
    }


def login(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
class TestAdminServiceScoping:
    def test_it_lists_only_the_editors_entity_services(self, client, personas, services):
        # given Dave, catalog editor of RENIEC
        login(client, personas.dave)

        # when
        response = client.get(CHANGELIST)

        # then
        assert response.status_code == 200
        listed = {s.code for s in response.context["cl"].result_list}
        assert listed == {services["dni"].code, services["actas"].code}

    def test_it_lists_every_service_for_the_national_supervisor(self, client, personas, services):
        login(client, personas.alice)

        response = client.get(CHANGELIST)

        assert response.status_code == 200
        listed = {s.code for s in response.context["cl"].result_list}
        assert listed == {s.code for s in services.values()}

    def test_it_filters_the_national_list_by_entity(self, client, personas, services):
        login(client, personas.alice)

        response = client.get(CHANGELIST, {"entity__id__exact": str(personas.sunat.pk)})

        assert [s.code for s in response.context["cl"].result_list] == [services["ruc"].code]

    def test_it_searches_within_the_editors_services_only(self, client, personas, services):
        login(client, personas.dave)

        response = client.get(CHANGELIST, {"q": "RUC"})

        assert list(response.context["cl"].result_list) == []

    def test_it_redirects_away_from_another_entitys_service(self, client, personas, services):
        login(client, personas.dave)

        response = client.get(change_url(services["ruc"]))

        # The admin treats an object outside the user's queryset as missing.
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")

    def test_it_refuses_a_post_to_another_entitys_service(self, client, personas, services):
        # given the form Alice would post for the SUNAT service
        ruc = services["ruc"]
        data = admin_form_data(login(Client(), personas.alice).get(change_url(ruc)))
        data["plain_name"] = "Cambiado por Dave"
        login(client, personas.dave)

        # when Dave posts it
        response = client.post(change_url(ruc), data)

        # then nothing changed
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")
        ruc.refresh_from_db()
        assert ruc.plain_name == "Inscripción al RUC"
        assert not AuditLog.objects.filter(action="catalog.service.saved").exists()

    def test_it_refuses_to_create_a_service_for_another_entity(self, client, personas, services):
        # given Dave's add form, pointed at SUNAT
        login(client, personas.dave)
        data = admin_form_data(client.get(ADD))
        data.update(
            entity=str(personas.sunat.pk),
            code="SUNAT-9999",
            slug="sunat-9999",
            name="Trámite falso",
            plain_name="Trámite falso",
            qualification=Service.Qualification.AUTOMATIC,
            competent_unit="Intendencia",
            legal_basis="Ninguna",
            status=Service.Status.DRAFT,
        )

        # when
        response = client.post(ADD, data)

        # then the form rejects the entity and nothing is created
        assert response.status_code == 200
        assert "entity" in response.context["adminform"].form.errors
        assert not Service.objects.filter(code="SUNAT-9999").exists()
        assert Service.objects.filter(entity=personas.sunat).count() == 1

    def test_it_cannot_move_a_service_to_another_entity(self, client, personas, services):
        dni = services["dni"]
        login(client, personas.dave)
        data = admin_form_data(client.get(change_url(dni)))
        data["entity"] = str(personas.sunat.pk)

        response = client.post(change_url(dni), data)

        assert response.status_code == 200
        assert "entity" in response.context["adminform"].form.errors
        dni.refresh_from_db()
        assert dni.entity_id == personas.reniec.pk

    def test_it_offers_only_the_editors_entity_in_the_entity_field(self, client, personas):
        login(client, personas.dave)

        response = client.get(ADD)

        field = response.context["adminform"].form.fields["entity"]
        assert list(field.queryset) == [personas.reniec]
        assert response.context["adminform"].form.initial["entity"] == str(personas.reniec.pk)

    def test_it_saves_the_editors_own_service_with_an_audit_row(self, client, personas, services):
        # given
        dni = services["dni"]
        login(client, personas.dave)
        data = admin_form_data(client.get(change_url(dni)))
        data["plain_name"] = "Sacar un duplicado del DNI"

        # when
        response = client.post(change_url(dni), data)

        # then
        assert response.status_code == 302
        assert response["Location"] == CHANGELIST
        dni.refresh_from_db()
        assert dni.plain_name == "Sacar un duplicado del DNI"
        row = AuditLog.objects.get(action="catalog.service.saved")
        assert row.actor == personas.dave
        assert row.object_id == str(dni.pk)
        assert row.data["fields"] == {"plain_name": "Sacar un duplicado del DNI"}

    def test_it_adds_requirements_through_the_inline(self, client, personas, services):
        dni = services["dni"]
        login(client, personas.dave)
        data = admin_form_data(client.get(change_url(dni)))
        data["requirements-TOTAL_FORMS"] = "2"
        data.update(
            {
                "requirements-1-order": "2",
                "requirements-1-text": "Pagar la tasa en el Banco de la Nación.",
                "requirements-1-service": str(dni.pk),
            }
        )

        response = client.post(change_url(dni), data)

        assert response.status_code == 302
        assert list(dni.requirements.values_list("order", "text")) == [
            (1, "Presentar el DNI original."),
            (2, "Pagar la tasa en el Banco de la Nación."),
        ]
        row = AuditLog.objects.get(action="catalog.service.requirements")
        assert row.actor == personas.dave
        assert Requirement.objects.filter(service=services["ruc"]).count() == 1

    def test_it_shows_the_entity_supervisor_her_services_read_only(
        self, client, personas, services
    ):
        # given Carol, supervisor of RENIEC
        login(client, personas.carol)
        dni = services["dni"]
        data = admin_form_data(login(Client(), personas.dave).get(change_url(dni)))
        data["plain_name"] = "Cambiado por Carol"

        # when
        listing = client.get(CHANGELIST)
        view = client.get(change_url(dni))
        post = client.post(change_url(dni), data)

        # then she sees RENIEC's services, cannot save them
        assert {s.code for s in listing.context["cl"].result_list} == {
            services["dni"].code,
            services["actas"].code,
        }
        assert view.status_code == 200
        assert view.context["has_change_permission"] is False
        assert post.status_code == 403
        dni.refresh_from_db()
        assert dni.plain_name == "Duplicado del DNI"

    def test_it_does_not_let_the_editor_delete_services(self, client, personas, services):
        dni = services["dni"]
        login(client, personas.dave)

        response = client.post(
            reverse("admin:catalog_service_delete", args=[dni.pk]), {"post": "yes"}
        )

        assert response.status_code == 403
        assert Service.objects.filter(pk=dni.pk).exists()
