"""Background tasks of surveys (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from mac.surveys import actions


@task()
def invite(invitation_id: int) -> bool:
    return actions.send_invitation(invitation_id)
