"""A service the center offers but that no active counter of it has among its
skills gets tickets nobody can call (the policy calls a ticket only to a
counter with its service): issuing, adding a service, transferring and the
advisor's 'Añadir trámite' refuse it at once (409, `service_unstaffed`),
naming the service and the center, worded for whoever reads it, and write
nothing. The check reads the cached skills: no statement once warm."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from mac.accounts.models import Role, User
from mac.core.testing import PASSWORD
from mac.queueing import actions
from mac.queueing.errors import ServiceUnstaffed
from mac.queueing.models import Counter
from mac.queueing.testing import OPEN, make_counter, queue_center, queue_service

from .conftest import Desk
from .test_issue_language_unavailable import everything

LATER = OPEN + dt.timedelta(minutes=5)

FOR_DESK = (
    "Ningún módulo habilitado de Centro MAC Lima Norte tiene «Cambio de domicilio fiscal»"
    " entre sus servicios: el ticket esperaría sin que nadie lo llame. Asigne el servicio a un"
    " módulo en la administración, o indique al ciudadano otro Centro MAC que lo atienda."
)
FOR_CITIZEN = (
    "Hoy nadie atiende «Cambio de domicilio fiscal» en Centro MAC Lima Norte. Pregunta en"
    " orientación: te dirán dónde puedes hacer este trámite."
)
FOR_COUNTER = (
    "Ningún módulo habilitado de Centro MAC Lima Norte tiene «Cambio de domicilio fiscal»"
    " entre sus servicios: el ticket esperaría sin que nadie lo llame. Pida a la coordinación"
    " del centro que lo asigne a un módulo, o indique al ciudadano otro Centro MAC que lo"
    " atienda."
)


@pytest.fixture
def domicilio(desk: Desk):  # type: ignore[no-untyped-def]
    """SUNAT's second procedure at Lima Norte: offered, on no counter."""
    return queue_service(desk.sunat, "Cambio de domicilio fiscal", desk.center, series="D")


def disable(counter: Counter) -> None:
    counter.active = False
    actions.save_counter(counter, by=None, changed_fields=["active"])


class TestIssueTicketServiceUnstaffed:
    def test_it_refuses_a_service_no_counter_has_and_changes_nothing(
        self, desk: Desk, domicilio
    ) -> None:
        # given: a ticket issued today (S-001), the caches warm
        actions.issue_ticket(desk.center, desk.ruc, now=OPEN)
        before = everything()

        # when
        with pytest.raises(ServiceUnstaffed) as refused:
            actions.issue_ticket(desk.center, domicilio, source="desk", now=LATER)

        # then
        assert (refused.value.status, refused.value.code) == (409, "service_unstaffed")
        assert refused.value.message == FOR_DESK
        assert everything() == before

    def test_it_speaks_to_the_citizen_at_a_kiosk(self, desk: Desk, domicilio) -> None:
        before = everything()
        with pytest.raises(ServiceUnstaffed) as refused:
            actions.issue_ticket(desk.center, domicilio, source="kiosk", now=OPEN)
        assert refused.value.message == FOR_CITIZEN
        assert everything() == before

    def test_it_asks_before_the_language(self, desk: Desk, domicilio) -> None:
        # no counter serves it, in Quechua or at all: the clearer refusal
        with pytest.raises(ServiceUnstaffed) as refused:
            actions.issue_ticket(desk.center, domicilio, source="api", language="qu", now=OPEN)
        assert refused.value.message == FOR_DESK

    def test_it_counts_a_counter_nobody_is_signed_in_at(self, desk: Desk, domicilio) -> None:
        make_counter(desk.center, desk.sunat, 5, [domicilio])
        ticket = actions.issue_ticket(desk.center, domicilio, now=OPEN)
        assert (ticket.code, ticket.state) == ("D-001", "waiting")

    def test_it_ignores_a_disabled_counter(self, desk: Desk, domicilio) -> None:
        counter = make_counter(desk.center, desk.sunat, 5, [domicilio])
        disable(counter)
        before = everything()
        with pytest.raises(ServiceUnstaffed):
            actions.issue_ticket(desk.center, domicilio, now=OPEN)
        assert everything() == before

    def test_it_ignores_another_centers_counters(self, desk: Desk, domicilio) -> None:
        other = queue_center("cusco", name="Centro MAC Cusco", district="080101")
        make_counter(other, desk.sunat, 1, [domicilio])
        with pytest.raises(ServiceUnstaffed):
            actions.issue_ticket(desk.center, domicilio, now=OPEN)

    def test_it_marks_the_spanish_names_in_quechua(self, desk: Desk, domicilio) -> None:
        with translation.override("qu"), pytest.raises(ServiceUnstaffed) as refused:
            actions.issue_ticket(desk.center, domicilio, source="kiosk", now=OPEN)
        html = refused.value.message.__html__()  # type: ignore[attr-defined]
        assert '«<span lang="es">Cambio de domicilio fiscal</span>»' in html
        assert '<span lang="es">Centro MAC Lima Norte</span>-pi manam pipas' in html
        assert "Orientaciónpi tapuy" in html


class TestSkillsChangedThroughTheActions:
    """The skills are cached per process: a counter saved through the back
    office's action drops them (its event), so the next ticket sees it."""

    def test_a_counter_given_the_skill_lets_the_next_ticket_through(
        self, desk: Desk, domicilio, django_capture_on_commit_callbacks
    ) -> None:
        with pytest.raises(ServiceUnstaffed):  # the cache now holds the skills
            actions.issue_ticket(desk.center, domicilio, now=OPEN)
        with django_capture_on_commit_callbacks(execute=True):
            actions.save_counter(
                desk.sunat_counter,
                by=None,
                changed_fields=["services"],
                services=[desk.ruc, domicilio],
            )
        ticket = actions.issue_ticket(desk.center, domicilio, now=LATER)
        assert (ticket.code, ticket.service_id) == ("D-001", domicilio.pk)

    def test_a_counter_disabled_refuses_the_next_ticket(
        self, desk: Desk, django_capture_on_commit_callbacks
    ) -> None:
        actions.sign_out(desk.sunat_counter, by=desk.sunat_advisor, now=OPEN)
        assert actions.issue_ticket(desk.center, desk.ruc, now=OPEN).code == "S-001"
        with django_capture_on_commit_callbacks(execute=True):
            disable(Counter.objects.get(pk=desk.sunat_counter.pk))
        before = everything()
        with pytest.raises(ServiceUnstaffed):
            actions.issue_ticket(desk.center, desk.ruc, now=LATER)
        assert everything() == before

    def test_the_back_office_form_gives_the_skill(
        self, desk: Desk, domicilio, client: Client, django_capture_on_commit_callbacks
    ) -> None:
        # given: refused, with the skills cached
        with pytest.raises(ServiceUnstaffed):
            actions.issue_ticket(desk.center, domicilio, now=OPEN)
        coordinator = User.objects.create_user(
            username="coord",
            password=PASSWORD,
            role=Role.CENTER_COORDINATOR,
            center=desk.center,
            is_staff=True,
        )
        client.force_login(coordinator)

        # when: the coordinator adds the procedure to SUNAT's counter
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/admin/queueing/counter/{desk.sunat_counter.pk}/change/",
                {
                    "center": desk.center.pk,
                    "entity": desk.sunat.pk,
                    "number": 2,
                    "services": [desk.ruc.pk, domicilio.pk],
                    "languages": '["es"]',
                    "active": "on",
                },
            )

        # then
        assert response.status_code == 302
        ticket = actions.issue_ticket(desk.center, domicilio, now=LATER)
        assert ticket.code == "D-001"


class TestAddServiceUnstaffed:
    def test_it_refuses_at_the_desk_and_changes_nothing(self, desk: Desk, domicilio) -> None:
        first = actions.issue_ticket(desk.center, desk.ruc, now=OPEN)
        before = everything()
        with pytest.raises(ServiceUnstaffed) as refused:
            actions.add_service(first.visit, domicilio, now=LATER)
        assert (refused.value.code, refused.value.message) == ("service_unstaffed", FOR_DESK)
        assert everything() == before

    def test_the_advisor_at_the_counter_reads_it_for_staff(self, desk: Desk, domicilio) -> None:
        # given: the citizen is being served at SUNAT's counter
        ticket = actions.issue_ticket(desk.center, desk.ruc, now=OPEN)
        actions.call_next(desk.sunat_counter, by=desk.sunat_advisor, now=OPEN)
        actions.start(ticket, by=desk.sunat_advisor, now=OPEN)
        before = everything()

        # when
        with pytest.raises(ServiceUnstaffed) as refused:
            actions.add_service_at_counter(ticket, domicilio, by=desk.sunat_advisor, now=LATER)

        # then: the attention goes on
        assert refused.value.message == FOR_COUNTER
        assert everything() == before
        ticket.refresh_from_db()
        assert ticket.state == "serving"


class TestTransferUnstaffed:
    def test_it_refuses_and_the_attention_goes_on(self, desk: Desk, domicilio) -> None:
        ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        actions.call_next(desk.counter, by=desk.advisor, now=OPEN)
        actions.start(ticket, by=desk.advisor, now=OPEN)
        before = everything()

        with pytest.raises(ServiceUnstaffed) as refused:
            actions.transfer(ticket, domicilio, by=desk.advisor, now=LATER)

        assert refused.value.message == FOR_COUNTER
        assert everything() == before
        desk.counter.refresh_from_db()
        assert desk.counter.current_ticket_id == ticket.pk
