"""`mac worker --batch` runs the tasks that are due, then exits."""

from __future__ import annotations

import pytest
from django.core import mail

from mac.notify.actions import send
from mac.notify.models import Message
from mac.notify.testing import scheduled_tasks, worker_batch


# The worker closes and reopens database connections between tasks, as in
# production: the test cannot run inside one transaction.
@pytest.mark.django_db(transaction=True)
class TestWorkerCommand:
    def test_it_delivers_a_queued_message_and_exits(self, confirmed):
        # given: committed (no surrounding transaction), so the task is enqueued
        (message,) = send("appointment_confirmed", email="ana@example.pe", context=confirmed)

        # when
        printed = worker_batch()

        # then
        assert printed == "Ejecutando las tareas pendientes...\nTareas pendientes ejecutadas.\n"
        assert [m.subject for m in mail.outbox] == ["Tu cita LN-7K3Q está confirmada"]
        assert Message.objects.get().status == Message.Status.SENT
        assert scheduled_tasks().count() == 0
        assert message.pk == Message.objects.get().pk
