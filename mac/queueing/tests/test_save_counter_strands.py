"""A counter's change (disabled, moved, a service or a language taken off)
after which tickets waiting today at its center could be called by no active
counter would leave them waiting until the citizens gave up (the policy calls
a ticket only to a counter with its service and its language): saving
refuses it (409, `counter_strands_tickets`), saying how many tickets of which
service and language and what to do, and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.utils import translation

from mac.accounts.models import Role
from mac.catalog.models import Offer
from mac.core.models import AuditLog, Event
from mac.core.testing import make_user
from mac.queueing import actions
from mac.queueing.errors import CounterStrandsTickets
from mac.queueing.models import Counter, Ticket
from mac.queueing.testing import OPEN, make_counter, queue_center

from .conftest import Desk

LATER = OPEN + dt.timedelta(minutes=5)

DISABLED = (
    "No se guardó: 3 tickets que esperan hoy en Centro MAC Lima Norte quedarían sin ningún"
    " módulo habilitado que pueda llamarlos (1 de «Copia de acta de nacimiento», 2 de"
    " «Duplicado de DNI»). Antes, atiéndalos o derívelos desde el Módulo 1, o anúlelos; o"
    " asigne sus servicios a otro módulo habilitado."
)
SKILL_OFF = (
    "No se guardó: 1 ticket que espera hoy en Centro MAC Lima Norte quedaría sin ningún"
    " módulo habilitado que pueda llamarlo (1 de «Copia de acta de nacimiento»). Antes,"
    " atiéndalo o derívelo desde el Módulo 1, o anúlelo; o asigne su servicio a otro módulo"
    " habilitado."
)
LANGUAGE_OFF = (
    "No se guardó: 2 tickets que esperan hoy en Centro MAC Lima Norte quedarían sin ningún"
    " módulo habilitado que pueda llamarlos (2 de «Duplicado de DNI» en quechua). Antes,"
    " atiéndalos o derívelos desde el Módulo 1, o anúlelos; o asigne sus servicios, en su"
    " lengua, a otro módulo habilitado."
)


def setup_of(counter: Counter) -> tuple:
    """What saving a counter writes: its row, its skills, audit rows, events."""
    row = (
        Counter.objects.filter(pk=counter.pk)
        .values_list("center_id", "entity_id", "number", "languages", "active", "status")
        .get()
    )
    skills = sorted(counter.services.values_list("pk", flat=True))
    return row, skills, AuditLog.objects.count(), Event.objects.count()


def tickets() -> list[tuple[str, str]]:
    return list(Ticket.objects.order_by("pk").values_list("code", "state"))


def issue(desk: Desk, service: str, n: int = 1, *, language: str = "es") -> None:
    for _ in range(n):
        actions.issue_ticket(desk.center, getattr(desk, service), language=language, now=OPEN)


def signed_out(desk: Desk) -> Counter:
    """RENIEC's counter with nobody in session (else it may not be disabled)."""
    actions.sign_out(desk.counter, by=desk.advisor, now=OPEN)
    return Counter.objects.get(pk=desk.counter.pk)


def speaks_quechua(counter: Counter) -> None:
    counter.languages = ["es", "qu"]
    actions.save_counter(counter, by=None, changed_fields=["languages"], now=OPEN)


def save(counter: Counter, *fields: str, services: list | None = None) -> Counter:
    return actions.save_counter(
        counter, by=None, changed_fields=list(fields), services=services, now=LATER
    )


class TestItRefuses:
    def test_it_refuses_to_disable_the_last_counter_of_waiting_tickets(self, desk: Desk) -> None:
        # given: 2 DNI and 1 birth-record tickets wait; RENIEC's one counter has both
        issue(desk, "dni", 2)
        issue(desk, "acta")
        counter = signed_out(desk)
        before, waiting = setup_of(counter), tickets()
        counter.active = False

        # when
        with pytest.raises(CounterStrandsTickets) as refused:
            save(counter, "active")

        # then
        assert (refused.value.status, refused.value.code) == (409, "counter_strands_tickets")
        assert refused.value.message == DISABLED
        assert (setup_of(counter), tickets()) == (before, waiting)

    def test_it_refuses_to_take_off_a_skill(self, desk: Desk) -> None:
        # the advisor may stay signed in while the skills change
        issue(desk, "dni")
        issue(desk, "acta")
        counter = Counter.objects.get(pk=desk.counter.pk)
        before = setup_of(counter)

        with pytest.raises(CounterStrandsTickets) as refused:
            save(counter, "services", services=[desk.dni])

        assert refused.value.message == SKILL_OFF
        assert setup_of(counter) == before

    def test_it_refuses_to_take_off_a_language(self, desk: Desk) -> None:
        # given: Quechua and Spanish DNI tickets; only this counter speaks Quechua
        speaks_quechua(desk.counter)
        issue(desk, "dni", 2, language="qu")
        issue(desk, "dni")
        counter = Counter.objects.get(pk=desk.counter.pk)
        before = setup_of(counter)
        counter.languages = ["es"]

        # when
        with pytest.raises(CounterStrandsTickets) as refused:
            save(counter, "languages")

        # then: the Spanish ticket is not named, the Quechua ones are
        assert refused.value.message == LANGUAGE_OFF
        assert setup_of(counter) == before
        assert setup_of(counter)[0][3] == ["es", "qu"]

    def test_it_refuses_to_move_the_counter_to_another_center(self, desk: Desk) -> None:
        issue(desk, "acta")
        counter = signed_out(desk)
        before = setup_of(counter)
        counter.center = queue_center("arequipa", district="040112")

        with pytest.raises(CounterStrandsTickets) as refused:
            save(counter, "center")

        assert refused.value.stranded == [("Copia de acta de nacimiento", "es", 1)]
        assert setup_of(counter) == before

    def test_a_disabled_counter_with_the_skill_does_not_count(self, desk: Desk) -> None:
        spare = make_counter(desk.center, desk.reniec, 5, [desk.dni, desk.acta])
        spare.active = False
        save(spare, "active")
        issue(desk, "acta")
        counter = signed_out(desk)
        counter.active = False

        with pytest.raises(CounterStrandsTickets):
            save(counter, "active")

        assert Counter.objects.filter(center=desk.center, active=True).count() == 2

    def test_a_counter_with_the_service_but_not_the_language_does_not_count(
        self, desk: Desk
    ) -> None:
        make_counter(desk.center, desk.reniec, 5, [desk.dni])  # speaks Spanish only
        speaks_quechua(desk.counter)
        issue(desk, "dni", 2, language="qu")
        counter = Counter.objects.get(pk=desk.counter.pk)
        counter.languages = ["es"]

        with pytest.raises(CounterStrandsTickets) as refused:
            save(counter, "languages")

        assert refused.value.message == LANGUAGE_OFF

    def test_it_speaks_quechua_and_marks_the_spanish_names(self, desk: Desk) -> None:
        issue(desk, "acta")
        counter = Counter.objects.get(pk=desk.counter.pk)
        with translation.override("qu"), pytest.raises(CounterStrandsTickets) as refused:
            save(counter, "services", services=[desk.dni])
        html = refused.value.message.__html__()  # type: ignore[attr-defined]
        assert html == (
            "Manam waqaychakunchu: kunan p&#x27;unchaw"
            ' <span lang="es">Centro MAC Lima Norte</span>-pi suyachkaq 1 tickettaqa manañam'
            " mayqin habilitasqa módulopas waqyayta atinmanchu"
            ' (1 «<span lang="es">Copia de acta de nacimiento</span>» trámitepaq).'
            " Ñawpaqta Módulo 1-manta atiendey utaq derivay, utaq anulay; utaq"
            " serviciokunankuta huk habilitasqa móduloman churay."
        )


class TestItAllows:
    def test_another_active_counter_covers_the_tickets(self, desk: Desk) -> None:
        issue(desk, "dni", 2)
        issue(desk, "acta")
        make_counter(desk.center, desk.reniec, 5, [desk.dni, desk.acta])
        counter = signed_out(desk)
        counter.active = False

        save(counter, "active")

        assert setup_of(counter)[0][4] is False
        assert AuditLog.objects.filter(action="queue.counter.changed").count() == 1

    def test_another_counter_speaks_the_language(self, desk: Desk) -> None:
        make_counter(desk.center, desk.reniec, 5, [desk.dni], languages=["es", "qu"])
        speaks_quechua(desk.counter)
        issue(desk, "dni", 2, language="qu")
        counter = Counter.objects.get(pk=desk.counter.pk)
        counter.languages = ["es"]

        save(counter, "languages")

        assert setup_of(counter)[0][3] == ["es"]

    def test_no_ticket_waits(self, desk: Desk) -> None:
        counter = signed_out(desk)
        counter.active = False
        save(counter, "active")
        assert setup_of(counter)[0][4] is False

    def test_tickets_no_longer_waiting_or_of_another_day_do_not_count(self, desk: Desk) -> None:
        # given: today one ticket was served, another cancelled; yesterday's
        # still waits (the night's closing has not run)
        served = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        assert actions.call_next(desk.counter, by=desk.advisor, now=OPEN) == served
        actions.start(served, by=desk.advisor, now=OPEN)
        actions.finish(served, by=desk.advisor, now=OPEN)
        actions.cancel(actions.issue_ticket(desk.center, desk.acta, now=OPEN), now=OPEN)
        yesterday = actions.issue_ticket(desk.center, desk.acta, now=OPEN - dt.timedelta(days=1))
        counter = signed_out(desk)
        counter.active = False

        # when
        save(counter, "active")

        # then
        assert setup_of(counter)[0][4] is False
        assert Ticket.objects.get(pk=yesterday.pk).state == "waiting"

    def test_another_centers_tickets_do_not_count(self, desk: Desk) -> None:
        cusco = queue_center("cusco", name="Centro MAC Cusco", district="080101")
        Offer.objects.create(service=desk.acta, center=cusco)
        make_counter(cusco, desk.reniec, 1, [desk.acta])
        actions.issue_ticket(cusco, desk.acta, now=OPEN)
        counter = signed_out(desk)
        counter.active = False

        save(counter, "active")

        assert setup_of(counter)[0][4] is False

    def test_a_change_that_takes_nothing_away(self, desk: Desk) -> None:
        # tickets wait that only this counter can call; it gets a new number
        # and a new language
        issue(desk, "dni")
        issue(desk, "acta")
        counter = Counter.objects.get(pk=desk.counter.pk)
        counter.number, counter.languages = 9, ["es", "ay"]

        save(counter, "number", "languages", services=[desk.dni, desk.acta])

        assert setup_of(counter)[0][2:4] == (9, ["es", "ay"])


class TestTheBackOffice:
    def test_the_form_shows_the_refusal_and_nothing_changes(
        self, desk: Desk, client: Client
    ) -> None:
        # given: the coordinator unticks "active" on RENIEC's counter, whose
        # tickets no other counter can call (the admin's today is OPEN's day)
        issue(desk, "dni", 2)
        issue(desk, "acta")
        counter = signed_out(desk)
        before, logged = setup_of(counter), LogEntry.objects.count()
        client.force_login(
            make_user("coord", Role.CENTER_COORDINATOR, center=desk.center, is_staff=True)
        )

        # when
        with time_machine.travel(LATER, tick=False):
            response = client.post(
                f"/admin/queueing/counter/{counter.pk}/change/",
                {
                    "center": desk.center.pk,
                    "entity": desk.reniec.pk,
                    "number": 1,
                    "services": [desk.dni.pk, desk.acta.pk],
                    "languages": '["es"]',
                },
            )

        # then: the form again, with the message; nothing saved or logged
        assert response.status_code == 200
        assert response.context["adminform"].form.non_field_errors() == [DISABLED]
        assert DISABLED in response.content.decode()
        assert (setup_of(counter), LogEntry.objects.count()) == (before, logged)

    def test_the_form_saves_once_another_counter_has_the_skills(
        self, desk: Desk, client: Client
    ) -> None:
        issue(desk, "dni", 2)
        issue(desk, "acta")
        make_counter(desk.center, desk.reniec, 5, [desk.dni, desk.acta])
        counter = signed_out(desk)
        client.force_login(
            make_user("coord", Role.CENTER_COORDINATOR, center=desk.center, is_staff=True)
        )

        with time_machine.travel(LATER, tick=False):
            response = client.post(
                f"/admin/queueing/counter/{counter.pk}/change/",
                {
                    "center": desk.center.pk,
                    "entity": desk.reniec.pk,
                    "number": 1,
                    "services": [desk.dni.pk, desk.acta.pk],
                    "languages": '["es"]',
                },
            )

        assert response.status_code == 302
        assert setup_of(counter)[0][4] is False
