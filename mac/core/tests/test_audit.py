"""Audit rows: who did what to which object."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from mac.core.audit import record
from mac.core.models import AuditLog, NonWorkingDay


@pytest.mark.django_db
class TestAuditRecord:
    def test_it_records_actor_action_object_and_data(self, personas):
        day = NonWorkingDay.objects.create(date=dt.date(2025, 12, 26), name="Ilustrativo")

        row = record("core.test", day, by=personas.alice, reason="prueba")

        row = AuditLog.objects.get(pk=row.pk)
        assert row.actor == personas.alice
        assert row.action == "core.test"
        assert row.object_type == "core.nonworkingday"
        assert row.object_id == str(day.pk)
        assert row.data == {"reason": "prueba"}
        assert row.at is not None

    def test_it_records_no_actor_for_the_system_or_anonymous(self):
        system = record("core.system")
        anonymous = record("core.anonymous", by=AnonymousUser())

        assert (system.actor, system.object_type, system.object_id) == (None, "", "")
        assert anonymous.actor is None

    def test_it_stores_decimals_dates_and_times_as_text(self, personas):
        row = record(
            "core.values",
            by=personas.alice,
            fee=Decimal("120.90"),
            day=dt.date(2025, 7, 28),
            opens=dt.time(8, 30),
        )

        row.refresh_from_db()
        assert row.data == {"fee": "120.90", "day": "2025-07-28", "opens": "08:30:00"}
