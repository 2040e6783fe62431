"""Requirements are edited in order, in the service's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mac.core.models import AuditLog
from mac.core.testing import admin_form_data, make_service


@pytest.mark.django_db
class TestAdminRequirements:
    def test_it_swaps_two_requirements_in_one_save(self, client, personas):
        # given
        service = make_service(
            personas.reniec, "Duplicado del DNI", requirements=["Pagar la tasa.", "Foto."]
        )
        client.force_login(personas.dave)
        url = reverse("admin:catalog_service_change", args=[service.pk])
        data = admin_form_data(client.get(url))
        data["requirements-0-order"], data["requirements-1-order"] = "2", "1"

        # when
        response = client.post(url, data)

        # then
        assert response.status_code == 302
        assert list(service.requirements.values_list("order", "text")) == [
            (1, "Foto."),
            (2, "Pagar la tasa."),
        ]
        assert AuditLog.objects.get(action="catalog.service.requirements").actor == personas.dave

    def test_it_lists_requirements_in_their_order(self, client, personas):
        service = make_service(personas.reniec, "Trámite", requirements=["a", "b", "c"])
        service.requirements.filter(text="a").update(order=9)
        client.force_login(personas.dave)

        response = client.get(reverse("admin:catalog_service_change", args=[service.pk]))

        formset = response.context["inline_admin_formsets"][0].formset
        assert [form.instance.text for form in formset.forms] == ["b", "c", "a"]

    def test_it_refuses_two_requirements_with_the_same_order(self, client, personas):
        service = make_service(personas.reniec, "Trámite", requirements=["a", "b"])
        client.force_login(personas.dave)
        url = reverse("admin:catalog_service_change", args=[service.pk])
        data = admin_form_data(client.get(url))
        data["requirements-1-order"] = "1"

        response = client.post(url, data)

        assert response.status_code == 200
        assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
        assert list(service.requirements.values_list("order", "text")) == [(1, "a"), (2, "b")]
        assert not AuditLog.objects.exists()
