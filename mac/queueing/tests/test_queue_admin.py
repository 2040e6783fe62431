from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
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


class TestCounterFormRefusals:
    """The action's refusals show on the back office's form, with nothing
    saved or logged (not a message after a "changed successfully")."""

    def post(self, client: Client, desk: Desk, url: str, **data: Any) -> Any:
        client.force_login(staff("coord", Role.CENTER_COORDINATOR, center=desk.center))
        form = {"center": desk.center.pk, "entity": desk.reniec.pk, "languages": '["es"]'}
        return client.post(url, {**form, **data})

    def test_a_counter_in_use_stays_enabled(self, desk: Desk, client: Client) -> None:
        logged = (AuditLog.objects.count(), LogEntry.objects.count())
        response = self.post(
            client,
            desk,
            f"/admin/queueing/counter/{desk.counter.pk}/change/",
            number=1,
            services=[desk.dni.pk, desk.acta.pk],
        )
        assert response.status_code == 200
        assert response.context["adminform"].form.non_field_errors() == [
            "El Módulo 1 tiene un asesor en sesión: cierre la sesión antes de cambiar su"
            " entidad o su centro, o de deshabilitarlo."
        ]
        assert Counter.objects.get(pk=desk.counter.pk).active is True
        assert (AuditLog.objects.count(), LogEntry.objects.count()) == logged

    def test_a_new_counter_with_another_entitys_skill(self, desk: Desk, client: Client) -> None:
        counters = Counter.objects.count()
        response = self.post(
            client, desk, "/admin/queueing/counter/add/", number=7, services=[desk.ruc.pk]
        )
        assert response.status_code == 200
        assert response.context["adminform"].form.non_field_errors() == [
            "Un módulo solo atiende servicios de su entidad."
        ]
        assert (Counter.objects.count(), LogEntry.objects.count()) == (counters, 0)


class TestPolicyParams:
    """A center's policy parameters are checked before they are saved: a
    misspelt or renamed one would otherwise be ignored without a word."""

    @pytest.mark.parametrize(
        ("policy", "params", "field", "message"),
        [
            (
                "mac",
                {"starve_vs_priority": 10},
                "params",
                "«starve_vs_priority» no es un parámetro",
            ),
            ("mac", {"tail_level": "1"}, "params", "«tail_level» debe ser un número"),
            ("mac", {"tail_level": True}, "params", "«tail_level» debe ser un número"),
            (
                "mac",
                {"tail_level": float("inf")},
                "params",
                "«tail_level» debe ser un número finito",
            ),
            ("fifo", {"tail_level": 1}, "params", "no es un parámetro de la política fifo"),
            ("lifo", {}, "policy", "Política desconocida; hay: fifo, mac"),
            ("mac", [1, 2], "params", "Los parámetros son un objeto JSON."),
        ],
    )
    def test_it_refuses_bad_parameters(
        self, db: None, policy: str, params: object, field: str, message: str
    ) -> None:
        from django.core.exceptions import ValidationError

        from mac.queueing.models import CenterQueue
        from mac.queueing.testing import queue_center

        center = queue_center("lima-sur", policy="mac")
        settings = CenterQueue.objects.get(center=center)
        before = (settings.policy, settings.params)
        settings.policy, settings.params = policy, params
        with pytest.raises(ValidationError) as refused:
            settings.full_clean()
        assert message in " ".join(refused.value.message_dict[field])
        settings.refresh_from_db()
        assert (settings.policy, settings.params) == before

    def test_it_accepts_known_parameters(self, db: None) -> None:
        from mac.queueing.models import CenterQueue
        from mac.queueing.testing import queue_center

        center = queue_center("lima-sur", policy="mac")
        settings = CenterQueue.objects.get(center=center)
        settings.params = {"tail_level": 1.2, "appointment_lead_min": 3}
        settings.full_clean()
        settings.save()
        settings.refresh_from_db()
        assert settings.params == {"tail_level": 1.2, "appointment_lead_min": 3}
