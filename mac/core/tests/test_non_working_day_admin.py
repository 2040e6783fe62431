"""Declared non-working days are edited nationally and move deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mac.accounts.models import Role
from mac.core.calendar import add_business_days
from mac.core.models import AuditLog, NonWorkingDay
from mac.core.testing import make_user

ADD = reverse("admin:core_nonworkingday_add")


@pytest.mark.django_db
class TestNonWorkingDayAdmin:
    def test_it_lets_the_national_supervisor_declare_a_day(
        self, client, personas, django_capture_on_commit_callbacks
    ):
        # given
        client.force_login(personas.alice)
        before = add_business_days(dt.date(2025, 12, 24), 1)

        # when
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(
                ADD,
                {"date": "2025-12-26", "name": "Día no laborable", "legal_basis": "DS ilustrativo"},
            )

        # then
        assert response.status_code == 302
        day = NonWorkingDay.objects.get()
        assert (day.date, day.name) == (dt.date(2025, 12, 26), "Día no laborable")
        row = AuditLog.objects.get(action="core.non_working_day.saved")
        assert row.actor == personas.alice
        assert len(callbacks) == 1
        assert before == dt.date(2025, 12, 26)
        assert add_business_days(dt.date(2025, 12, 24), 1) == dt.date(2025, 12, 29)

    def test_it_shows_the_days_read_only_to_a_center_coordinator(self, client, personas):
        coordinator = make_user(
            "cora", Role.CENTER_COORDINATOR, center=personas.lima_norte, is_staff=True
        )
        client.force_login(coordinator)

        listing = client.get(reverse("admin:core_nonworkingday_changelist"))
        add = client.post(ADD, {"date": "2025-12-26", "name": "Día no laborable"})

        assert listing.status_code == 200
        assert add.status_code == 403
        assert NonWorkingDay.objects.count() == 0

    def test_it_refuses_the_catalog_editor(self, client, personas):
        client.force_login(personas.dave)

        response = client.post(ADD, {"date": "2025-12-26", "name": "Día no laborable"})

        assert response.status_code == 403
        assert NonWorkingDay.objects.count() == 0
