"""A center coordinator keeps her own center's contact data and hours current."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mac.accounts.models import Role
from mac.centers.models import Center, OpeningException
from mac.core.models import AuditLog
from mac.core.testing import admin_form_data, make_user

CHANGELIST = reverse("admin:centers_center_changelist")


def change_url(center: Center) -> str:
    return reverse("admin:centers_center_change", args=[center.pk])


@pytest.fixture
def cora(personas):
    """Coordinator of Centro MAC Lima Norte."""
    return make_user("cora", Role.CENTER_COORDINATOR, center=personas.lima_norte, is_staff=True)


@pytest.mark.django_db
class TestCenterAdmin:
    def test_it_lists_only_the_coordinators_center(self, client, personas, cora):
        client.force_login(cora)

        response = client.get(CHANGELIST)

        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [personas.lima_norte]

    def test_it_lists_every_center_for_the_national_supervisor(self, client, personas):
        client.force_login(personas.alice)

        response = client.get(CHANGELIST)

        assert set(response.context["cl"].result_list) == {personas.lima_norte, personas.arequipa}

    def test_it_keeps_another_center_away_from_the_coordinator(self, client, personas, cora):
        client.force_login(cora)

        response = client.post(change_url(personas.arequipa), {"phone": "01 000 0000"})

        assert response.status_code == 302
        assert response["Location"] == reverse("admin:index")
        personas.arequipa.refresh_from_db()
        assert personas.arequipa.phone == ""

    def test_it_saves_contact_data_and_a_closed_day(self, client, personas, cora):
        # given
        client.force_login(cora)
        url = change_url(personas.lima_norte)
        data = admin_form_data(client.get(url))
        data["phone"] = "(01) 200 7000"
        data["exceptions-TOTAL_FORMS"] = "1"
        data.update(
            {
                "exceptions-0-date": "2025-12-31",
                "exceptions-0-closed": "on",
                "exceptions-0-reason": "Inventario (ilustrativo)",
                "exceptions-0-center": str(personas.lima_norte.pk),
            }
        )

        # when
        response = client.post(url, data)

        # then
        assert response.status_code == 302
        personas.lima_norte.refresh_from_db()
        assert personas.lima_norte.phone == "(01) 200 7000"
        closed = OpeningException.objects.get(center=personas.lima_norte)
        assert (closed.date, closed.closed) == (dt.date(2025, 12, 31), True)
        assert personas.lima_norte.hours_on(dt.date(2025, 12, 31)) == []
        actions = set(AuditLog.objects.filter(actor=cora).values_list("action", flat=True))
        assert actions == {"centers.center.saved", "centers.openingexception.saved"}

    def test_it_shows_the_national_fields_read_only_to_the_coordinator(
        self, client, personas, cora
    ):
        client.force_login(cora)
        url = change_url(personas.lima_norte)
        data = admin_form_data(client.get(url))
        data["name"] = "Centro MAC Renombrado"
        data["status"] = Center.Status.CLOSED

        response = client.post(url, data)

        assert response.status_code == 302
        personas.lima_norte.refresh_from_db()
        assert personas.lima_norte.name == "Centro MAC Lima Norte"
        assert personas.lima_norte.status == Center.Status.OPERATING

    def test_it_changes_weekly_hours(self, client, personas, cora):
        client.force_login(cora)
        url = change_url(personas.lima_norte)
        data = admin_form_data(client.get(url))
        saturday = next(
            i for i in range(int(data["hours-TOTAL_FORMS"])) if data[f"hours-{i}-weekday"] == "5"
        )
        data[f"hours-{saturday}-closes"] = "16:00:00"

        response = client.post(url, data)

        assert response.status_code == 302
        assert personas.lima_norte.hours_on(dt.date(2025, 3, 8)) == [
            (dt.time(8, 30), dt.time(16, 0))
        ]
        row = AuditLog.objects.get(action="centers.openinghours.saved")
        assert row.data["fields"] == {"closes": "16:00:00"}

    @pytest.mark.parametrize("who", ["dave", "carol"])
    def test_it_hides_centers_from_entity_staff(self, client, personas, who):
        client.force_login(getattr(personas, who))

        response = client.get(CHANGELIST)

        assert response.status_code == 403

    def test_it_refuses_the_coordinator_a_new_center(self, client, personas, cora):
        client.force_login(cora)

        response = client.get(reverse("admin:centers_center_add"))

        assert response.status_code == 403
        assert Center.objects.count() == 2
