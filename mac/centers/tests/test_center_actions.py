"""Writes to centers check the writer's scope and the fields they may touch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mac.accounts.models import Role
from mac.centers import actions
from mac.centers.models import Center, OpeningException, OpeningHours
from mac.core.events import subscribe
from mac.core.models import AuditLog
from mac.core.testing import make_user


@pytest.fixture
def cora(personas):
    return make_user("cora", Role.CENTER_COORDINATOR, center=personas.lima_norte)


@pytest.mark.django_db
class TestCenterActions:
    def test_it_lets_a_coordinator_change_her_centers_phone(
        self, personas, cora, django_capture_on_commit_callbacks
    ):
        got: list[dict] = []
        unsubscribe = subscribe("centers.", lambda topic, payload: got.append(payload))
        personas.lima_norte.phone = "(01) 200 7000"

        with django_capture_on_commit_callbacks(execute=True):
            actions.save_center(personas.lima_norte, by=cora, changed_fields=["phone"])
        unsubscribe()

        assert Center.objects.get(pk=personas.lima_norte.pk).phone == "(01) 200 7000"
        assert got == [{"center_id": personas.lima_norte.pk, "change": "updated"}]
        row = AuditLog.objects.get(action="centers.center.saved")
        assert (row.actor, row.data["fields"]) == (cora, {"phone": "(01) 200 7000"})

    def test_it_refuses_a_coordinator_the_name_of_her_center(self, personas, cora):
        personas.lima_norte.name = "Otro nombre"

        with pytest.raises(PermissionDenied):
            actions.save_center(personas.lima_norte, by=cora, changed_fields=["name"])

        assert Center.objects.get(pk=personas.lima_norte.pk).name == "Centro MAC Lima Norte"

    def test_it_refuses_a_coordinator_another_center(self, personas, cora):
        personas.arequipa.phone = "054 000000"

        with pytest.raises(PermissionDenied):
            actions.save_center(personas.arequipa, by=cora, changed_fields=["phone"])

        assert Center.objects.get(pk=personas.arequipa.pk).phone == ""

    def test_it_refuses_another_centers_hours(self, personas, cora):
        hours = OpeningHours(
            center=personas.arequipa, weekday=6, opens=dt.time(9), closes=dt.time(13)
        )

        with pytest.raises(PermissionDenied):
            actions.save_schedule_row(hours, by=cora)

        assert not OpeningHours.objects.filter(center=personas.arequipa, weekday=6).exists()

    def test_it_refuses_hours_that_close_before_they_open(self, personas, cora):
        hours = OpeningHours(
            center=personas.lima_norte, weekday=6, opens=dt.time(13), closes=dt.time(9)
        )

        with pytest.raises(ValidationError):
            actions.save_schedule_row(hours, by=cora)

        assert not OpeningHours.objects.filter(center=personas.lima_norte, weekday=6).exists()

    def test_it_saves_special_hours_on_one_day(self, personas, cora):
        day = dt.date(2025, 12, 24)
        exception = OpeningException(
            center=personas.lima_norte,
            date=day,
            closed=False,
            opens=dt.time(8, 30),
            closes=dt.time(12),
            reason="Nochebuena (ilustrativo)",
        )

        actions.save_schedule_row(exception, by=cora)

        assert personas.lima_norte.hours_on(day) == [(dt.time(8, 30), dt.time(12))]
        assert AuditLog.objects.get(action="centers.openingexception.saved").actor == cora

    def test_it_lets_only_the_national_level_create_or_delete_centers(self, personas, cora):
        piura = Center(
            name="Centro MAC Piura",
            slug="piura",
            region_id="20",
            ubigeo_id="200101",
            address="Av. Ilustrativa 1",
            latitude="-5.194490",
            longitude="-80.632820",
            is_illustrative=True,
        )
        with pytest.raises(PermissionDenied):
            actions.save_center(piura, by=cora)
        assert not Center.objects.filter(slug="piura").exists()

        actions.save_center(piura, by=personas.alice)
        with pytest.raises(PermissionDenied):
            actions.delete_center(piura, by=cora)
        actions.delete_center(piura, by=personas.alice)

        assert not Center.objects.filter(slug="piura").exists()
        assert list(
            AuditLog.objects.filter(object_type="centers.center").values_list("action", "actor")
        ) == [
            ("centers.center.deleted", personas.alice.pk),
            ("centers.center.saved", personas.alice.pk),
        ]
