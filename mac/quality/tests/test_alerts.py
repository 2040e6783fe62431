"""The officer and the alternate are alerted by email 5 business days before
the deadline of a claim still open, and again when it has passed; not when
it was answered meanwhile, and never twice (background tasks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail

from mac.core.calendar import LIMA
from mac.notify.testing import run_tasks, scheduled_tasks
from mac.quality import actions
from mac.quality.testing import file

from .conftest import NOW

pytestmark = pytest.mark.django_db


def lima(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LIMA)


def run_at(moment: dt.datetime, capture) -> list[tuple[list[str], Any]]:
    """Run the tasks due at `moment`; the emails they sent (to, subject)."""
    sent_before = len(mail.outbox)
    with time_machine.travel(moment, tick=False):
        with capture(execute=True):
            run_tasks()
        run_tasks()
    return [(m.to, m.subject) for m in mail.outbox[sent_before:]]


class TestAlerts:
    def test_it_schedules_both_alerts_when_filed(self, world):
        file(world.personas, now=NOW)

        tasks = {t.task_path.rsplit(".", 1)[1]: t.run_after for t in scheduled_tasks()}

        # Due Thu 17 Dec 2026; 5 business days before: Wed 16 (1), Tue 15 (2),
        # Mon 14 (3), Fri 11 (4), Thu 10 (5).
        assert tasks["alert_due_soon"] == lima(2026, 12, 10, 8)
        assert tasks["alert_overdue"] == lima(2026, 12, 18)

    def test_it_alerts_before_and_after_the_deadline(
        self, world, django_capture_on_commit_callbacks
    ):
        file(world.personas, now=NOW)
        run_at(NOW, django_capture_on_commit_callbacks)  # the citizen's constancia

        early = run_at(lima(2026, 12, 10, 7, 59), django_capture_on_commit_callbacks)
        soon = run_at(lima(2026, 12, 10, 8), django_capture_on_commit_callbacks)
        over = run_at(lima(2026, 12, 18, 0, 1), django_capture_on_commit_callbacks)

        assert early == []
        subject = "Reclamo RENIEC-2026-000001: vence el jueves 17 de diciembre de 2026"
        assert soon == [
            (["olga@reniec.example.pe"], subject),
            (["omar@reniec.example.pe"], subject),
        ]
        late = "Reclamo RENIEC-2026-000001: venció el plazo de respuesta"
        assert over == [
            (["olga@reniec.example.pe"], late),
            (["omar@reniec.example.pe"], late),
        ]
        body = next(m.body for m in mail.outbox if m.subject == subject)
        assert "vence en 5 días hábiles, el jueves 17 de diciembre de 2026" in body
        assert "http://127.0.0.1:8000/reclamaciones/personal/" in body

    def test_it_says_nothing_about_a_claim_answered_in_time(
        self, world, django_capture_on_commit_callbacks
    ):
        complaint = file(world.personas, now=NOW, consent_email=False)
        actions.take_in_process(complaint.pk, by=world.olga, now=NOW)
        actions.answer(complaint.pk, text="Respuesta.", by=world.olga, now=NOW)

        sent = run_at(lima(2026, 12, 18, 9), django_capture_on_commit_callbacks)

        assert [s for s in sent if "Reclamo RENIEC" in s[1]] == []

    def test_it_alerts_once(self, world):
        complaint = file(world.personas, now=NOW)

        first = actions.alert(complaint.pk, "overdue", now=lima(2026, 12, 18, 9))
        second = actions.alert(complaint.pk, "overdue", now=lima(2026, 12, 19, 9))

        assert (first, second) == (True, False)

    def test_a_due_soon_alert_run_after_the_due_date_says_nothing(self, world):
        # given: the worker was down until three days after the due date
        complaint = file(world.personas, now=NOW)
        late = dt.datetime.combine(
            complaint.due_date + dt.timedelta(days=3), dt.time(9), tzinfo=LIMA
        )

        # when
        sent = actions.alert(complaint.pk, "due_soon", now=late)

        # then: no "due in -1 business days"; the overdue alert still goes
        complaint.refresh_from_db()
        assert (sent, complaint.due_soon_alerted_at) == (False, None)
        assert actions.alert(complaint.pk, "overdue", now=late) is True
