"""The catalog's writes: scope-checked, validated, audited, announced after commit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mac.catalog import actions
from mac.catalog.models import Offer, Requirement, Service, ServiceChannel
from mac.core.events import subscribe
from mac.core.models import AuditLog
from mac.core.testing import make_service


@pytest.fixture
def events():
    got: list[tuple[str, dict]] = []
    unsubscribe = subscribe("catalog.", lambda topic, payload: got.append((topic, payload)))
    yield got
    unsubscribe()


@pytest.fixture
def dni(personas):
    return make_service(
        personas.reniec,
        "Duplicado del DNI",
        requirements=["Presentar el DNI.", "Pagar la tasa.", "Foto reciente."],
    )


@pytest.fixture
def ruc(personas):
    return make_service(personas.sunat, "Inscripción al RUC")


@pytest.mark.django_db
class TestServiceActions:
    def test_it_saves_the_changed_fields_audits_and_announces(
        self, personas, dni, events, django_capture_on_commit_callbacks
    ):
        # given
        dni.fee = Decimal("16.00")

        # when
        with django_capture_on_commit_callbacks(execute=True):
            actions.save_service(dni, by=personas.dave, changed_fields=["fee", "categories"])
            assert events == []

        # then
        dni.refresh_from_db()
        assert dni.fee == Decimal("16.00")
        row = AuditLog.objects.get(action="catalog.service.saved")
        assert (row.actor, row.object_id) == (personas.dave, str(dni.pk))
        assert row.data == {"change": "updated", "fields": {"fee": "16.00"}}
        assert events == [
            (
                "catalog.service.changed",
                {
                    "service_id": dni.pk,
                    "entity_id": personas.reniec.pk,
                    "code": dni.code,
                    "slug": dni.slug,
                    "change": "updated",
                },
            )
        ]

    def test_it_refuses_an_editor_another_entitys_service(self, personas, ruc):
        ruc.plain_name = "Cambiado"

        with pytest.raises(PermissionDenied):
            actions.save_service(ruc, by=personas.dave, changed_fields=["plain_name"])

        ruc.refresh_from_db()
        assert ruc.plain_name == "Inscripción al RUC"
        assert not AuditLog.objects.exists()

    def test_it_refuses_to_move_a_service_to_another_entity(self, personas, dni):
        dni.entity = personas.sunat

        with pytest.raises(PermissionDenied):
            actions.save_service(dni, by=personas.dave, changed_fields=["entity"])

        assert Service.objects.get(pk=dni.pk).entity_id == personas.reniec.pk

    def test_it_refuses_to_create_a_service_for_another_entity(self, personas):
        service = Service(
            entity=personas.sunat,
            code="SUNAT-X",
            slug="sunat-x",
            name="X",
            plain_name="X",
            qualification=Service.Qualification.AUTOMATIC,
            competent_unit="U",
            legal_basis="L",
        )

        with pytest.raises(PermissionDenied):
            actions.save_service(service, by=personas.dave)

        assert not Service.objects.filter(code="SUNAT-X").exists()

    def test_it_refuses_the_entity_supervisor(self, personas, dni):
        dni.plain_name = "Cambiado"

        with pytest.raises(PermissionDenied):
            actions.save_service(dni, by=personas.carol, changed_fields=["plain_name"])

    def test_it_refuses_prior_evaluation_without_silence(self, personas, dni):
        dni.qualification = Service.Qualification.PRIOR_EVALUATION

        with pytest.raises(ValidationError):
            actions.save_service(dni, by=personas.dave, changed_fields=["qualification"])

        assert Service.objects.get(pk=dni.pk).qualification == Service.Qualification.AUTOMATIC

    def test_it_swaps_requirement_orders_in_one_edit(self, personas, dni):
        first, second, third = dni.requirements.order_by("order")
        first.order, second.order = 2, 1

        actions.save_requirements(dni, by=personas.dave, saved=[first, second], deleted=[third])

        assert list(dni.requirements.values_list("order", "text")) == [
            (1, "Pagar la tasa."),
            (2, "Presentar el DNI."),
        ]
        row = AuditLog.objects.get(action="catalog.service.requirements")
        assert row.data["deleted"] == [third.pk]

    def test_it_refuses_requirements_of_another_entitys_service(self, personas, ruc):
        new = Requirement(service=ruc, order=2, text="Otro requisito")

        with pytest.raises(PermissionDenied):
            actions.save_requirements(ruc, by=personas.dave, saved=[new])

        assert ruc.requirements.count() == 1

    def test_it_needs_a_link_for_the_online_channel(self, personas, dni):
        channel = ServiceChannel(service=dni, channel="online", url="")

        with pytest.raises(ValidationError):
            actions.save_service_channel(channel, by=personas.dave)

        assert list(dni.channels.values_list("channel", flat=True)) == ["center"]

    def test_it_offers_and_withdraws_a_service_at_a_center(self, personas, dni):
        offer = actions.set_offer(dni, personas.arequipa, by=personas.dave)
        again = actions.set_offer(dni, personas.arequipa, by=personas.dave, active=False)

        assert again.pk == offer.pk
        assert list(Offer.objects.filter(service=dni).values_list("center", "active")) == [
            (personas.arequipa.pk, False)
        ]
        actions.remove_offer(again, by=personas.dave)
        assert not Offer.objects.filter(service=dni).exists()
        assert AuditLog.objects.filter(action__startswith="catalog.offer").count() == 3

    def test_it_lets_only_the_national_level_delete_a_service(self, personas, dni):
        with pytest.raises(PermissionDenied):
            actions.delete_service(dni, by=personas.dave)
        assert Service.objects.filter(pk=dni.pk).exists()

        actions.delete_service(dni, by=personas.alice)

        assert not Service.objects.filter(pk=dni.pk).exists()
        row = AuditLog.objects.get(action="catalog.service.deleted")
        assert (row.actor, row.data["code"]) == (personas.alice, dni.code)

    def test_it_announces_nothing_when_the_save_fails(
        self, personas, ruc, events, django_capture_on_commit_callbacks
    ):
        ruc.plain_name = "Cambiado"

        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(PermissionDenied),
        ):
            actions.save_service(ruc, by=personas.dave, changed_fields=["plain_name"])

        assert (callbacks, events) == ([], [])
