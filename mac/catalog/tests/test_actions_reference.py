"""Entities, categories, UIT values and synonyms are edited nationally."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from mac.catalog import actions
from mac.catalog.models import UIT, Category, Synonym
from mac.core.models import AuditLog


@pytest.mark.django_db
class TestReferenceActions:
    @pytest.mark.parametrize("who", ["dave", "carol", "bob"])
    def test_it_refuses_everyone_below_the_national_level(self, personas, who):
        synonym = Synonym(term="brevete", expansion="licencia de conducir")

        with pytest.raises(PermissionDenied):
            actions.save_reference(synonym, by=getattr(personas, who))

        assert not Synonym.objects.exists()

    def test_it_saves_a_uit_value_with_an_audit_row(self, personas):
        uit = actions.save_reference(
            UIT(year=2025, value=Decimal("5350.00"), legal_basis="DS 260-2024-EF"),
            by=personas.alice,
        )

        row = AuditLog.objects.get(action="catalog.uit.saved")
        assert row.actor == personas.alice
        assert row.data["fields"]["value"] == "5350.00"
        assert UIT.for_year(2026) == uit

    def test_it_deletes_a_category(self, personas):
        category = Category.objects.create(name="Identidad", slug="identidad")

        actions.delete_reference(category, by=personas.alice)

        assert not Category.objects.exists()
        assert AuditLog.objects.get(action="catalog.category.deleted").data == {"text": "Identidad"}

    def test_it_refuses_the_editor_his_own_entity_record(self, personas):
        personas.reniec.website = "https://www.gob.pe/reniec"

        with pytest.raises(PermissionDenied):
            actions.save_entity(personas.reniec, by=personas.dave, changed_fields=["website"])

        personas.reniec.refresh_from_db()
        assert personas.reniec.website == ""
