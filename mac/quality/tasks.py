"""Background tasks of the complaints book (django-tasks, database backend;
`mac worker` runs them). Each one is enqueued in the transaction that files
the claim."""

from __future__ import annotations

from django_tasks import task

from mac.quality import actions, notices
from mac.quality.models import Complaint


@task()
def send_filed_notice(complaint_id: int) -> bool:
    """The constancia (PDF) to the citizen's email and the code by SMS."""
    complaint = (
        Complaint.objects.select_related("entity", "center", "district")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        return False
    notices.filed(complaint)
    return True


@task()
def alert_due_soon(complaint_id: int) -> bool:
    return actions.alert(complaint_id, "due_soon")


@task()
def alert_overdue(complaint_id: int) -> bool:
    return actions.alert(complaint_id, "overdue")
