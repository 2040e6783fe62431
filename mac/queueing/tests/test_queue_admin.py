from typing import Any

import pytest
from django.test import Client

from mac.accounts.models import Role, User
from mac.core.models import AuditLog
from mac.core.testing import PASSWORD, make_center
from mac.queueing import actions
from mac.queueing.errors import Invalid
from mac.queueing.models import Counter
from mac.queueing.testing import OPEN, make_counter

from .conftest import Desk


def staff(username: str, role: str, **scope: Any) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, is_staff=True, **scope
    )


class TestCounterAdminScoping:
    def test_a_coordinator_sees_only_her_centers_counters(self, desk: Desk, client: Client) -> None:
        arequipa = make_center("arequipa", district="040112")
        elsewhere = make_counter(arequipa, desk.reniec, 1, [desk.dni])
        client.force_login(staff("coord", Role.CENTER_COORDINATOR, center=desk.center))
        page = client.get("/admin/queueing/counter/")
        assert page.status_code == 200
        assert [c.pk for c in page.context["cl"].result_list] == [
            desk.counter.pk,
            desk.sunat_counter.pk,
        ]
        response = client.get(f"/admin/queueing/counter/{elsewhere.pk}/change/")
        assert response.status_code == 302
        before = (elsewhere.number, elsewhere.active)
        client.post(
            f"/admin/queueing/counter/{elsewhere.pk}/change/",
            {"center": arequipa.pk, "entity": desk.reniec.pk, "number": 9, "languages": '["es"]'},
        )
        elsewhere.refresh_from_db()
        assert (elsewhere.number, elsewhere.active) == before

    def test_an_advisor_has_no_back_office(self, desk: Desk, client: Client) -> None:
        desk.advisor.is_staff = True
        desk.advisor.save()
        client.force_login(desk.advisor)
        assert client.get("/admin/queueing/counter/").status_code == 403

    def test_an_entity_supervisor_reads_only_her_entitys_tickets(
        self, desk: Desk, client: Client
    ) -> None:
        dni = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.issue_ticket(desk.center, desk.ruc, now=OPEN)
        client.force_login(staff("sup", Role.ENTITY_SUPERVISOR, entity=desk.reniec))
        page = client.get("/admin/queueing/ticket/")
        assert [t.pk for t in page.context["cl"].result_list] == [dni.pk]
        assert client.get("/admin/queueing/counter/").status_code == 403


class TestSaveCounter:
    def test_it_refuses_skills_of_another_entity_and_changes_nothing(self, desk: Desk) -> None:
        counter = Counter(center=desk.center, entity=desk.reniec, number=7, languages=["es"])
        with pytest.raises(Invalid) as info:
            actions.save_counter(
                counter, by=None, changed_fields=None, services=[desk.dni, desk.ruc]
            )
        assert info.value.code == "skills"
        assert not Counter.objects.filter(number=7).exists()

    def test_it_audits_a_new_counter(self, desk: Desk) -> None:
        counter = Counter(center=desk.center, entity=desk.reniec, number=7, languages=["qu"])
        actions.save_counter(counter, by=None, changed_fields=None, services=[desk.dni])
        counter.refresh_from_db()
        assert (counter.languages, list(counter.services.all())) == (["es", "qu"], [desk.dni])
        assert AuditLog.objects.filter(action="queue.counter.created").count() == 1
