"""A ticket in a language no counter of the center has for its service would
wait until the citizen gave up (the policy never calls it to a counter
without that language): issuing refuses it at once (409,
`language_unavailable`), naming the language and the service and saying what
to do, and changes nothing: no visit, no ticket, no number, no event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mac.core.models import AuditLog, Event
from mac.queueing import actions, cache
from mac.queueing.errors import LanguageUnavailable, ServiceUnstaffed
from mac.queueing.models import Attention, Counter, Ticket, TicketEvent, TicketSequence, Visit
from mac.queueing.queries import serving_languages
from mac.queueing.testing import OPEN, HandClock, make_counter, queue_center, queue_service

from .conftest import Desk

LATER = OPEN + dt.timedelta(minutes=5)

FOR_DESK = (
    "Ningún módulo de Centro MAC Lima Norte atiende «Duplicado de DNI» en quechua: el ticket"
    " esperaría sin que nadie lo llame. Emítalo en castellano o coordine un intérprete."
)
FOR_CITIZEN = (
    "En este Centro MAC ningún módulo atiende «Duplicado de DNI» en quechua. Puedes continuar"
    " en castellano, o pedir ayuda en orientación."
)


def everything() -> tuple:
    """What issuing writes: visits, tickets, numbers, history, audit, events."""
    return (
        list(Visit.objects.values_list("pk", flat=True)),
        list(Ticket.objects.values_list("pk", "state")),
        list(TicketSequence.objects.values_list("series", "last_number")),
        TicketEvent.objects.count(),
        AuditLog.objects.count(),
        Event.objects.count(),
        Attention.objects.count(),
    )


def speaks(desk: Desk, *languages: str, counter: str = "counter") -> None:
    row = getattr(desk, counter)
    row.languages = ["es", *languages]
    row.save(update_fields=["languages"])


class TestIssueTicketLanguageUnavailable:
    def test_it_refuses_a_language_no_counter_has_and_changes_nothing(self, desk: Desk) -> None:
        # given: a ticket issued today; no counter speaks Quechua
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        before = everything()

        # when
        with pytest.raises(LanguageUnavailable) as refused:
            actions.issue_ticket(desk.center, desk.dni, source="desk", language="qu", now=LATER)

        # then
        assert (refused.value.status, refused.value.code) == (409, "language_unavailable")
        assert refused.value.message == FOR_DESK
        assert everything() == before
        # no number was consumed: the next ticket of the series is R-002
        assert actions.issue_ticket(desk.center, desk.dni, now=LATER).code == "R-002"

    def test_it_speaks_to_the_citizen_at_a_kiosk(self, desk: Desk) -> None:
        before = everything()
        with pytest.raises(LanguageUnavailable) as refused:
            actions.issue_ticket(desk.center, desk.dni, source="kiosk", language="qu", now=OPEN)
        assert refused.value.message == FOR_CITIZEN
        assert everything() == before

    @pytest.mark.parametrize(
        ("language", "phrase"),
        [("ay", "en aimara"), ("lsp", "en lengua de señas peruana")],
        ids=["aymara", "sign-language"],
    )
    def test_it_names_each_language(self, desk: Desk, language: str, phrase: str) -> None:
        with pytest.raises(LanguageUnavailable) as refused:
            actions.issue_ticket(desk.center, desk.acta, source="api", language=language, now=OPEN)
        assert refused.value.message == (
            f"Ningún módulo de Centro MAC Lima Norte atiende «Copia de acta de nacimiento»"
            f" {phrase}: el ticket esperaría sin que nadie lo llame. Emítalo en castellano o"
            " coordine un intérprete."
        )

    def test_it_issues_when_a_counter_has_the_service_in_that_language(self, desk: Desk) -> None:
        speaks(desk, "qu")
        ticket = actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)
        assert (ticket.code, ticket.language, ticket.state) == ("R-001", "qu", "waiting")

    def test_it_counts_a_counter_nobody_is_signed_in_at(self, desk: Desk) -> None:
        # advisors come and go during the day: the setup of the counters counts
        make_counter(desk.center, desk.reniec, 5, [desk.dni], languages=["es", "lsp"])
        ticket = actions.issue_ticket(desk.center, desk.dni, language="lsp", now=OPEN)
        assert (ticket.code, ticket.language) == ("R-001", "lsp")

    def test_it_ignores_a_disabled_counter(self, desk: Desk) -> None:
        counter = make_counter(desk.center, desk.reniec, 5, [desk.dni], languages=["es", "qu"])
        counter.active = False
        counter.save(update_fields=["active"])
        before = everything()
        with pytest.raises(LanguageUnavailable):
            actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)
        assert everything() == before

    def test_it_needs_the_language_and_the_service_on_one_counter(self, desk: Desk) -> None:
        # SUNAT's counter speaks Quechua, but serves no DNI
        speaks(desk, "qu", counter="sunat_counter")
        with pytest.raises(LanguageUnavailable):
            actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)
        assert actions.issue_ticket(desk.center, desk.ruc, language="qu", now=OPEN).code == "S-001"

    def test_it_ignores_another_centers_counters(self, desk: Desk) -> None:
        other = queue_center("cusco", name="Centro MAC Cusco", district="080101")
        make_counter(other, desk.reniec, 1, [desk.dni], languages=["es", "qu"])
        with pytest.raises(LanguageUnavailable):
            actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)

    def test_spanish_is_always_served(self, desk: Desk) -> None:
        # a counter stored without "es" (the back office adds it; the policy
        # lets every counter serve Spanish): a Spanish ticket is issued
        desk.counter.languages = ["qu"]
        desk.counter.save(update_fields=["languages"])
        ticket = actions.issue_ticket(desk.center, desk.dni, language="es", now=OPEN)
        assert (ticket.code, ticket.language) == ("R-001", "es")

    def test_it_marks_the_spanish_names_in_quechua(self, desk: Desk) -> None:
        with translation.override("qu"), pytest.raises(LanguageUnavailable) as refused:
            actions.issue_ticket(desk.center, desk.dni, source="kiosk", language="qu", now=OPEN)
        html = refused.value.message.__html__()  # type: ignore[attr-defined]
        assert '«<span lang="es">Duplicado de DNI</span>»' in html
        assert "runasimipi" in html


class TestAddServiceLanguageUnavailable:
    def test_it_refuses_a_service_no_counter_serves_in_the_visits_language(
        self, desk: Desk
    ) -> None:
        # given: a Quechua visit for a DNI (a counter speaks it), no Quechua for SUNAT
        speaks(desk, "qu")
        first = actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)
        before = everything()

        # when
        with pytest.raises(LanguageUnavailable) as refused:
            actions.add_service(first.visit, desk.ruc, now=LATER)

        # then
        assert refused.value.code == "language_unavailable"
        assert refused.value.message == (
            "Ningún módulo de Centro MAC Lima Norte atiende «Inscripción en el RUC» en quechua:"
            " el ticket esperaría sin que nadie lo llame. Emítalo en castellano o coordine un"
            " intérprete."
        )
        assert everything() == before
        added = actions.add_service(first.visit, desk.acta, now=LATER)
        assert (added.code, added.language, added.visit_id) == ("A-001", "qu", first.visit_id)


class TestTransferLanguageUnavailable:
    def test_it_refuses_to_transfer_where_nobody_speaks_the_language(self, desk: Desk) -> None:
        # given: a Quechua citizen being served at RENIEC's Quechua counter
        speaks(desk, "qu")
        ticket = actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)
        actions.call_next(desk.counter, by=desk.advisor, now=OPEN)
        actions.start(ticket, by=desk.advisor, now=OPEN)
        before = everything()

        # when: the advisor transfers them to SUNAT, where nobody speaks Quechua
        with pytest.raises(LanguageUnavailable) as refused:
            actions.transfer(ticket, desk.ruc, by=desk.advisor, now=LATER)

        # then: the attention goes on at this counter
        assert refused.value.message == (
            "Ningún módulo de Centro MAC Lima Norte atiende «Inscripción en el RUC» en quechua:"
            " el ticket esperaría sin que nadie lo llame. Indique al ciudadano que en"
            " orientación pueden emitirlo en castellano o coordinar un intérprete."
        )
        assert everything() == before
        desk.counter.refresh_from_db()
        assert desk.counter.current_ticket_id == ticket.pk


class TestStatementsPerIssue:
    """The issue path is measured by `mac bench queue`: that the service is on
    an active counter, and in the ticket's language, is read from the cached
    skills (with each service's languages): once warm, a ticket in another
    language costs what a Spanish one does, and no statement reads the
    counters."""

    # Statements of one issue inside a test's transaction (SQLite adds its
    # savepoint and release; PostgreSQL sends the last writes in one).
    STATEMENTS = {"sqlite": 8, "postgresql": 6}

    def count(self, desk: Desk, language: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            actions.issue_ticket(desk.center, desk.dni, language=language, now=OPEN)
        return [q["sql"] for q in captured.captured_queries]

    def test_another_language_costs_what_spanish_does(self, desk: Desk) -> None:
        speaks(desk, "qu")
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)  # the caches are warm
        spanish = self.count(desk, "es")
        quechua = self.count(desk, "qu")
        assert len(spanish) == len(quechua) == self.STATEMENTS[connection.vendor]
        assert [sql for sql in spanish + quechua if "queueing_counter" in sql] == []

    def test_a_service_no_counter_has_is_refused_without_a_statement(self, desk: Desk) -> None:
        domicilio = queue_service(desk.sunat, "Cambio de domicilio fiscal", desk.center)
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)  # the caches are warm
        with CaptureQueriesContext(connection) as captured, pytest.raises(ServiceUnstaffed):
            actions.issue_ticket(desk.center, domicilio, language="qu", now=OPEN)
        # only the test transaction's savepoint around the action, rolled back
        sent = [q["sql"].split()[0] for q in captured.captured_queries]
        assert sent == ["SAVEPOINT", "ROLLBACK", "RELEASE"]

    def test_a_language_no_counter_has_is_refused_without_a_statement(self, desk: Desk) -> None:
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)  # the caches are warm
        with CaptureQueriesContext(connection) as captured, pytest.raises(LanguageUnavailable):
            actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)
        sent = [q["sql"].split()[0] for q in captured.captured_queries]
        assert sent == ["SAVEPOINT", "ROLLBACK", "RELEASE"]


class TestLanguagesChangedThroughTheActions:
    """The counters' languages are cached with their skills: a counter saved
    through the back office's action drops them in this process at commit
    (its event), so the next ticket sees it; other processes, whose caches
    hear no event, at their next check of the configuration generation,
    within `cache.CHECK_EVERY` (test_cache_coherence.py: another connection)."""

    def save_languages(self, desk: Desk, *languages: str) -> None:
        counter = Counter.objects.get(pk=desk.counter.pk)
        counter.languages = ["es", *languages]
        actions.save_counter(counter, by=None, changed_fields=["languages"])

    def test_a_language_given_lets_the_next_ticket_through(
        self, desk: Desk, django_capture_on_commit_callbacks
    ) -> None:
        with pytest.raises(LanguageUnavailable):  # the cache now holds the languages
            actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)
        with django_capture_on_commit_callbacks(execute=True):
            self.save_languages(desk, "qu")
        ticket = actions.issue_ticket(desk.center, desk.dni, language="qu", now=LATER)
        assert (ticket.code, ticket.language) == ("R-001", "qu")

    def test_a_language_taken_off_refuses_the_next_ticket(
        self, desk: Desk, django_capture_on_commit_callbacks
    ) -> None:
        # given: the counter speaks Quechua, and the cache knows it
        speaks(desk, "qu")
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        assert serving_languages(desk.center.pk, desk.dni.pk) == {"es", "qu"}

        # when: Quechua is taken off (no Quechua ticket waits)
        with django_capture_on_commit_callbacks(execute=True):
            self.save_languages(desk)

        # then
        before = everything()
        with pytest.raises(LanguageUnavailable):
            actions.issue_ticket(desk.center, desk.dni, language="qu", now=LATER)
        assert everything() == before

    def test_the_next_check_of_the_generation_sees_it(
        self, desk: Desk, cache_clock: HandClock
    ) -> None:
        # given: the cache is warm; the change's event never reaches the
        # cache (the test's transaction never commits), the generation it
        # raised is read at the next check
        with pytest.raises(LanguageUnavailable):
            actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)
        self.save_languages(desk, "qu")
        with pytest.raises(LanguageUnavailable):
            actions.issue_ticket(desk.center, desk.dni, language="qu", now=OPEN)

        # when: cache.CHECK_EVERY has passed
        cache_clock.advance(cache.CHECK_EVERY)

        # then
        ticket = actions.issue_ticket(desk.center, desk.dni, language="qu", now=LATER)
        assert (ticket.code, ticket.language) == ("R-001", "qu")
