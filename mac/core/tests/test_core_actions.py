"""The writes on core tables check who makes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from mac.core.actions import delete_non_working_day, save_non_working_day
from mac.core.models import AuditLog, NonWorkingDay


@pytest.mark.django_db
class TestNonWorkingDayActions:
    def test_it_refuses_anyone_below_the_national_level(self, personas):
        day = NonWorkingDay(date=dt.date(2025, 12, 26), name="Día no laborable")

        with pytest.raises(PermissionDenied):
            save_non_working_day(day, by=personas.carol)

        assert NonWorkingDay.objects.count() == 0
        assert AuditLog.objects.count() == 0

    def test_it_updates_only_the_changed_fields_and_records_them(self, personas):
        day = save_non_working_day(
            NonWorkingDay(date=dt.date(2025, 12, 26), name="Día no laborable"), by=None
        )
        day.legal_basis = "DS 000-2025-PCM (ilustrativo)"

        save_non_working_day(day, by=personas.alice, changed_fields=["legal_basis"])

        row = AuditLog.objects.filter(actor=personas.alice).get()
        assert row.data == {
            "change": "updated",
            "fields": {"legal_basis": "DS 000-2025-PCM (ilustrativo)"},
        }

    def test_it_deletes_with_an_audit_row(self, personas):
        day = NonWorkingDay.objects.create(date=dt.date(2025, 12, 26), name="Día no laborable")

        delete_non_working_day(day, by=personas.alice)

        assert NonWorkingDay.objects.count() == 0
        row = AuditLog.objects.get(action="core.non_working_day.deleted")
        assert row.data == {"date": "2025-12-26", "name": "Día no laborable"}
