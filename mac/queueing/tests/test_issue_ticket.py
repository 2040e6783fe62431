import datetime as dt

import pytest

from mac.core.models import AuditLog
from mac.core.testing import make_entity, make_service
from mac.queueing import actions
from mac.queueing.errors import Conflict, Invalid, QueueError
from mac.queueing.models import Ticket, TicketEvent, Visit
from mac.queueing.testing import LIMA, OPEN

from .conftest import Desk


class TestIssueTicket:
    def test_it_numbers_each_series_from_one(self, desk: Desk) -> None:
        codes = [
            actions.issue_ticket(desk.center, service, now=OPEN).code
            for service in (desk.dni, desk.dni, desk.acta, desk.dni)
        ]
        assert codes == ["R-001", "R-002", "A-001", "R-003"]

    def test_it_starts_again_the_next_day_in_lima(self, desk: Desk) -> None:
        actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        # 18:00 Lima is 23:00 UTC, still the same Lima day...
        same_day = dt.datetime(2026, 12, 1, 18, 0, tzinfo=LIMA)
        assert actions.issue_ticket(desk.center, desk.dni, now=same_day).code == "R-002"
        next_day = dt.datetime(2026, 12, 2, 8, 45, tzinfo=LIMA)
        ticket = actions.issue_ticket(desk.center, desk.dni, now=next_day)
        assert (ticket.code, ticket.day) == ("R-001", dt.date(2026, 12, 2))

    def test_it_records_the_visit_priority_and_language(self, desk: Desk) -> None:
        desk.counter.languages = ["es", "qu"]  # its advisor speaks Quechua
        desk.counter.save(update_fields=["languages"])
        ticket = actions.issue_ticket(
            desk.center,
            desk.dni,
            now=OPEN,
            document_type="dni",
            document_number="10117410-2",
            priority_reason="older_adult",
            language="qu",
        )
        visit = ticket.visit
        assert (visit.document_type, visit.document_number) == ("dni", "10117410")
        assert (ticket.priority, ticket.language, ticket.state) == (True, "qu", "waiting")
        assert ticket.target_wait_seconds == 15 * 60
        assert ticket.wait_from == OPEN
        assert list(TicketEvent.objects.filter(ticket=ticket).values_list("state", flat=True)) == [
            "waiting"
        ]
        assert (
            AuditLog.objects.filter(action="queue.ticket.issued", object_id=str(ticket.pk)).count()
            == 1
        )

    def test_it_counts_an_appointment_wait_from_the_slot(self, desk: Desk) -> None:
        slot = OPEN + dt.timedelta(minutes=20)
        ticket = actions.issue_ticket(
            desk.center, desk.dni, now=OPEN, source="appointment", appointment_at=slot
        )
        assert (ticket.wait_from, ticket.target_wait_seconds) == (slot, 5 * 60)

    def test_it_publishes_after_commit(
        self, desk: Desk, django_capture_on_commit_callbacks: object
    ) -> None:
        from mac.core import events

        seen: list[tuple[str, dict]] = []
        unsubscribe = events.subscribe(
            "queue.", lambda topic, payload: seen.append((topic, payload))
        )
        try:
            with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
                ticket = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        finally:
            unsubscribe()
        assert seen == [
            (
                f"queue.center.{desk.center.pk}",
                {
                    "type": "ticket.issued",
                    "center": desk.center.pk,
                    "ticket": ticket.pk,
                    "code": "R-001",
                    "service": desk.dni.pk,
                    "state": "waiting",
                    "counter": None,
                },
            )
        ]


class TestIssueTicketRefusals:
    @pytest.mark.parametrize(
        ("kwargs", "error", "code"),
        [
            ({"document_type": "dni", "document_number": "1234"}, Invalid, "document"),
            ({"document_type": "dni", "document_number": "10117410-9"}, Invalid, "document"),
            ({"priority_reason": "vip"}, Invalid, "priority_reason"),
            ({"language": "fr"}, Invalid, "language"),
            ({"source": "fax"}, Invalid, "source"),
        ],
        ids=["short-dni", "dni-check", "priority", "language", "source"],
    )
    def test_it_refuses_bad_input_and_writes_nothing(
        self, desk: Desk, kwargs: dict, error: type[QueueError], code: str
    ) -> None:
        with pytest.raises(error) as info:
            actions.issue_ticket(desk.center, desk.dni, now=OPEN, **kwargs)
        assert info.value.code == code
        assert (Visit.objects.count(), Ticket.objects.count()) == (0, 0)

    def test_it_refuses_a_closed_center(self, desk: Desk) -> None:
        sunday = dt.datetime(2026, 12, 6, 10, 0, tzinfo=LIMA)
        with pytest.raises(Conflict) as info:
            actions.issue_ticket(desk.center, desk.dni, now=sunday)
        assert info.value.code == "center_closed"
        assert "cerrado" in info.value.message
        assert (Visit.objects.count(), Ticket.objects.count()) == (0, 0)

    def test_it_refuses_a_service_not_offered_there(self, desk: Desk) -> None:
        elsewhere = make_service(make_entity("MTC"), "Licencia de conducir")
        with pytest.raises(Invalid) as info:
            actions.issue_ticket(desk.center, elsewhere, now=OPEN)
        assert info.value.code == "service_not_offered"
        assert (Visit.objects.count(), Ticket.objects.count()) == (0, 0)


class TestAddService:
    def test_it_adds_a_ticket_to_the_same_visit(self, desk: Desk) -> None:
        first = actions.issue_ticket(desk.center, desk.dni, now=OPEN, priority_reason="pregnant")
        second = actions.add_service(first.visit, desk.ruc, now=OPEN)
        assert (second.visit_id, second.code, second.priority) == (first.visit_id, "S-001", True)

    def test_it_refuses_the_same_service_twice(self, desk: Desk) -> None:
        first = actions.issue_ticket(desk.center, desk.dni, now=OPEN)
        with pytest.raises(Conflict):
            actions.add_service(first.visit, desk.dni, now=OPEN)
        assert Ticket.objects.count() == 1
