"""Each entity names a responsible officer and an alternate: a national
supervisor edits them in the back office (audited); claims are assigned to
the officer, or to the alternate when the officer's account is disabled."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mac.core.models import AuditLog
from mac.core.testing import admin_form_data
from mac.quality import actions
from mac.quality.models import ComplaintOfficer
from mac.quality.testing import file

pytestmark = pytest.mark.django_db
URL = "/admin/quality/complaintofficer/"


class TestOfficers:
    def test_a_national_supervisor_changes_the_alternate(self, client, world):
        row = ComplaintOfficer.objects.get(entity=world.personas.reniec)
        client.force_login(world.personas.alice)
        page = client.get(f"{URL}{row.pk}/change/")
        data = admin_form_data(page)
        data["alternate"] = str(world.personas.carol.pk)
        data["designation"] = "Resolución Jefatural 001-2026 (ilustrativa)"

        response = client.post(f"{URL}{row.pk}/change/", data)

        assert response.status_code == 302
        row.refresh_from_db()
        assert (row.officer, row.alternate) == (world.olga, world.personas.carol)
        entry = AuditLog.objects.filter(action="quality.officers.saved").latest("pk")
        assert (entry.actor, entry.data["alternate"]) == (
            world.personas.alice,
            world.personas.carol.pk,
        )

    def test_an_entity_supervisor_only_reads_their_entitys_row(self, client, world):
        reniec = ComplaintOfficer.objects.get(entity=world.personas.reniec)
        sunat = ComplaintOfficer.objects.get(entity=world.personas.sunat)
        client.force_login(world.personas.carol)

        listing = client.get(URL).content.decode()
        change = client.post(f"{URL}{reniec.pk}/change/", {"officer": world.personas.carol.pk})

        assert f"{URL}{reniec.pk}/change/" in listing
        assert f"{URL}{sunat.pk}/change/" not in listing
        assert change.status_code == 403
        reniec.refresh_from_db()
        assert reniec.officer == world.olga

    def test_it_refuses_staff_of_another_entity(self, world):
        row = ComplaintOfficer.objects.get(entity=world.personas.reniec)
        row.alternate = world.sofia

        with pytest.raises(ValidationError):
            actions.save_officers(row, by=world.personas.alice)
        row.refresh_from_db()
        assert row.alternate == world.omar

    def test_only_national_supervisors_name_officers(self, world):
        row = ComplaintOfficer.objects.get(entity=world.personas.reniec)
        row.officer = world.personas.carol

        with pytest.raises(PermissionDenied):
            actions.save_officers(row, by=world.personas.carol)

    def test_a_claim_goes_to_the_alternate_when_the_officer_is_disabled(self, world):
        world.olga.is_active = False
        world.olga.save()

        assert file(world.personas).officer == world.omar
