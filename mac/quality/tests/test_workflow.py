"""A claim goes registered → in process → answered → notified → archived,
each change timestamped, in its history and audited; only the entity's
officer, alternate or supervisor moves it. The answer is emailed when the
citizen accepted email; otherwise the officer records how it was delivered.
A refused move changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from mac.core.calendar import LIMA
from mac.core.models import AuditLog
from mac.notify.testing import run_tasks
from mac.quality import actions
from mac.quality.errors import Conflict, Forbidden
from mac.quality.models import Complaint
from mac.quality.testing import file

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 3, 10, 0, tzinfo=LIMA)


def later(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def history(complaint: Complaint) -> list[tuple[str, str | None]]:
    return [(e.status, e.by.username if e.by else None) for e in complaint.events.all()]


def snapshot(complaint: Complaint) -> tuple:
    complaint.refresh_from_db()
    return (complaint.status, complaint.answer, complaint.events.count())


class TestWorkflow:
    def test_it_answers_by_email_and_archives(self, world, django_capture_on_commit_callbacks):
        complaint = file(world.personas, now=T0)
        assert (complaint.status, complaint.officer) == ("registered", world.olga)

        actions.take_in_process(complaint.pk, by=world.olga, now=later(60))
        with django_capture_on_commit_callbacks(execute=True):
            actions.answer(
                complaint.pk,
                text="Lamentamos la demora; reforzamos el módulo.",
                by=world.omar,
                now=later(120),
            )
        with time_machine.travel(later(121), tick=False):
            run_tasks()
        actions.archive(complaint.pk, by=world.personas.carol, now=later(180))

        complaint.refresh_from_db()
        assert complaint.status == "archived"
        assert (
            complaint.in_process_at,
            complaint.answered_at,
            complaint.notified_at,
            complaint.archived_at,
        ) == (later(60), later(120), later(120), later(180))
        assert (complaint.answered_by, complaint.notified_via) == (world.omar, "email")
        assert history(complaint) == [
            ("registered", None),
            ("in_process", "olga"),
            ("answered", "omar"),
            ("notified", "omar"),
            ("archived", "carol"),
        ]
        assert list(
            AuditLog.objects.filter(object_type="quality.complaint", object_id=str(complaint.pk))
            .order_by("pk")
            .values_list("action", flat=True)
        ) == [
            "quality.complaint.filed",
            "quality.complaint.in_process",
            "quality.complaint.answered",
            "quality.complaint.notified",
            "quality.complaint.archived",
        ]
        answer_mail = [m for m in mail.outbox if m.subject.startswith("Respuesta")]
        assert [m.subject for m in answer_mail] == ["Respuesta a tu reclamo RENIEC-2026-000001"]
        assert "Lamentamos la demora; reforzamos el módulo." in answer_mail[0].body

    def test_without_consent_the_officer_records_the_delivery(self, world):
        complaint = file(world.personas, now=T0, consent_email=False)
        actions.take_in_process(complaint.pk, by=world.olga, now=later(1))

        answered = actions.answer(complaint.pk, text="Respuesta.", by=world.olga, now=later(2))
        assert answered.status == "answered"
        notified = actions.record_notification(
            complaint.pk,
            via="address",
            note="Entregada en el domicilio; recibió la titular.",
            by=world.olga,
            now=later(3),
        )

        assert (notified.status, notified.notified_via, notified.notified_at) == (
            "notified",
            "address",
            later(3),
        )
        assert complaint.events.get(status="notified").note == (
            "Entregada en el domicilio; recibió la titular."
        )

    @pytest.mark.parametrize(
        ("label", "step", "code"),
        [
            ("answer before taking it", "answer", "not_in_process"),
            ("archive before answering", "archive", "not_notified"),
            ("record a delivery before answering", "notify", "not_answered"),
        ],
    )
    def test_it_refuses_a_step_out_of_order(self, world, label, step, code):
        complaint = file(world.personas, now=T0)
        before = snapshot(complaint)

        with pytest.raises(Conflict) as refused:
            if step == "answer":
                actions.answer(complaint.pk, text="x", by=world.olga)
            elif step == "archive":
                actions.archive(complaint.pk, by=world.olga)
            else:
                actions.record_notification(complaint.pk, via="address", by=world.olga)

        assert refused.value.code == code, label
        assert snapshot(complaint) == before

    @pytest.mark.parametrize("who", ["alice", "sofia", "bob"])
    def test_only_the_entitys_people_handle_it(self, world, who):
        people = {"alice": world.personas.alice, "sofia": world.sofia, "bob": world.personas.bob}
        complaint = file(world.personas, now=T0)
        before = snapshot(complaint)

        with pytest.raises(Forbidden) as refused:
            actions.take_in_process(complaint.pk, by=people[who])

        assert refused.value.code == "not_handler"
        assert snapshot(complaint) == before

    def test_the_staff_screen_moves_it(self, client, world):
        complaint = file(world.personas, now=T0)
        client.force_login(world.olga)

        taken = client.post(f"/reclamaciones/personal/{complaint.pk}/tramitar/")
        answered = client.post(
            f"/reclamaciones/personal/{complaint.pk}/responder/", {"answer": "Respuesta."}
        )
        again = client.post(f"/reclamaciones/personal/{complaint.pk}/tramitar/")

        assert (taken.status_code, answered.status_code) == (302, 302)
        assert again.status_code == 409
        assert "Este reclamo ya está «Respuesta notificada»." in again.content.decode()
        complaint.refresh_from_db()
        assert complaint.status == "notified"

    def test_a_national_supervisor_reads_but_gets_no_buttons(self, client, world):
        complaint = file(world.personas, now=T0)
        client.force_login(world.personas.alice)

        page = client.get(f"/reclamaciones/personal/{complaint.pk}/").content.decode()
        refused = client.post(f"/reclamaciones/personal/{complaint.pk}/tramitar/")

        assert "Tomar en trámite" not in page
        assert refused.status_code == 403
        assert snapshot(complaint)[0] == "registered"
