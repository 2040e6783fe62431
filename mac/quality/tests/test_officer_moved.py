"""An officer (or alternate) moved to another entity loses the old entity's
complaints book: no reading, no acting, no deadline alerts, no new claims
assigned. The designation itself stays until a national supervisor names
someone else."""

from __future__ import annotations

import pytest

from mac.quality import notices
from mac.quality.models import Complaint, PersonalDataAccess
from mac.quality.testing import file

pytestmark = pytest.mark.django_db


def move_to_sunat(user, world) -> None:
    user.entity = world.personas.sunat
    user.save(update_fields=["entity"])


def test_a_moved_officer_no_longer_reads_or_handles_the_old_book(client, world, clock) -> None:
    # given: a RENIEC claim; Olga, RENIEC's officer, moved to SUNAT
    claim = file(world.personas)
    move_to_sunat(world.olga, world)
    client.force_login(world.olga)
    logged = PersonalDataAccess.objects.count()

    # when
    read = client.get(f"/reclamaciones/personal/{claim.pk}/")
    taken = client.post(f"/reclamaciones/personal/{claim.pk}/tramitar/")

    # then
    assert read.status_code in (403, 404) and taken.status_code in (403, 404)
    assert Complaint.objects.get(pk=claim.pk).status == claim.status
    assert PersonalDataAccess.objects.count() == logged


def test_deadline_alerts_and_new_claims_go_to_who_still_serves_the_entity(world, clock) -> None:
    # given: Olga (officer) moved away; Omar (alternate) still at RENIEC
    move_to_sunat(world.olga, world)

    # when
    recipients = [u.username for u in notices.staff_recipients(world.personas.reniec)]
    claim = file(world.personas)

    # then
    assert recipients == ["omar"]
    assert claim.officer_id == world.omar.pk
