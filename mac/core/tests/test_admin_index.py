"""Each role finds in the back office exactly the sections it works with."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mac.accounts.models import Role
from mac.core.testing import make_user


def sections(response) -> dict[str, set[str]]:
    return {
        app["app_label"]: {m["object_name"] for m in app["models"]}
        for app in response.context["app_list"]
    }


@pytest.mark.django_db
class TestAdminIndex:
    def test_it_shows_the_catalog_editor_only_the_catalog(self, client, personas):
        client.force_login(personas.dave)

        response = client.get(reverse("admin:index"))

        assert response.status_code == 200
        assert sections(response) == {
            "catalog": {"Entity", "Service", "Category", "UIT", "Synonym"}
        }

    def test_it_shows_the_center_coordinator_her_center_and_the_calendar(self, client, personas):
        cora = make_user("cora", Role.CENTER_COORDINATOR, center=personas.lima_norte, is_staff=True)
        client.force_login(cora)

        response = client.get(reverse("admin:index"))

        assert sections(response) == {
            "appointments": {"Booking"},
            "centers": {"Center"},
            "core": {"NonWorkingDay"},
            "queueing": {"Counter", "CenterQueue", "Ticket", "Attention"},
        }

    def test_it_shows_the_national_supervisor_everything(self, client, personas):
        client.force_login(personas.alice)

        response = client.get(reverse("admin:index"))

        assert sections(response) == {
            "accounts": {"User", "ApiKey"},
            "appointments": {"Booking"},
            "catalog": {"Entity", "Service", "Category", "UIT", "Synonym"},
            "centers": {"Center"},
            "core": {"AuditLog", "Department", "District", "NonWorkingDay", "Province"},
            "notify": {"Message"},
            "queueing": {
                "Counter",
                "CenterQueue",
                "ServiceQueueSettings",
                "Ticket",
                "Attention",
            },
            # single answers are for superusers only (ADR 0009)
            "surveys": {"Invitation", "AnnualImport"},
            "quality": {"ComplaintOfficer", "PersonalDataAccess"},
        }

    def test_it_shows_nothing_to_an_advisor_marked_as_staff(self, client, personas):
        personas.bob.is_staff = True
        personas.bob.save(update_fields=["is_staff"])
        client.force_login(personas.bob)

        response = client.get(reverse("admin:index"))

        assert response.status_code == 200
        assert sections(response) == {}

    def test_it_lets_the_editor_see_but_not_change_his_entity(self, client, personas):
        client.force_login(personas.dave)

        own = client.get(reverse("admin:catalog_entity_change", args=[personas.reniec.pk]))
        other = client.get(reverse("admin:catalog_entity_change", args=[personas.sunat.pk]))

        assert own.status_code == 200
        assert own.context["has_change_permission"] is False
        assert other.status_code == 302
