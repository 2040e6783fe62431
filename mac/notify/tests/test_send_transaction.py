"""`send` inside the caller's transaction: deliveries are enqueued only when it
commits, and a rollback leaves neither log rows nor tasks."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from mac.notify import sms
from mac.notify.actions import send
from mac.notify.models import Message
from mac.notify.testing import run_tasks, scheduled_tasks


class Rollback(Exception):
    pass


@pytest.mark.django_db
class TestSendTransaction:
    def test_it_sends_nothing_before_commit(self, confirmed, django_capture_on_commit_callbacks):
        # when
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            send(
                "appointment_confirmed",
                email="ana@example.pe",
                phone="+51987654321",
                context=confirmed,
            )
            ran = run_tasks()

        # then
        assert len(callbacks) == 2
        assert ran == 0
        assert scheduled_tasks().count() == 0
        assert mail.outbox == []
        assert sms.outbox == []
        assert list(Message.objects.values_list("status", flat=True)) == ["queued", "queued"]

    def test_it_enqueues_one_delivery_per_message_on_commit(
        self, confirmed, django_capture_on_commit_callbacks
    ):
        # when
        with django_capture_on_commit_callbacks(execute=True):
            email, text = send(
                "appointment_confirmed",
                email="ana@example.pe",
                phone="+51987654321",
                context=confirmed,
            )

        # then
        tasks = sorted((t.task_path, t.args_kwargs["args"]) for t in scheduled_tasks())
        assert tasks == [
            ("mac.notify.tasks.deliver", [email.pk]),
            ("mac.notify.tasks.deliver", [text.pk]),
        ]

    def test_it_stores_and_sends_nothing_when_the_transaction_rolls_back(
        self, confirmed, django_capture_on_commit_callbacks
    ):
        # when
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(Rollback),
            transaction.atomic(),
        ):
            send(
                "appointment_confirmed",
                email="ana@example.pe",
                phone="+51987654321",
                context=confirmed,
            )
            raise Rollback
        ran = run_tasks()

        # then
        assert callbacks == []
        assert ran == 0
        assert Message.objects.count() == 0
        assert scheduled_tasks().count() == 0
        assert mail.outbox == []
        assert sms.outbox == []
