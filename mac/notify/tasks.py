"""Background tasks of the notification service (django-tasks, database
backend; `mac worker` runs them)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from mac.core.tasks import schedule_next
from mac.notify import delivery

logger = logging.getLogger(__name__)


@task()
def deliver(message_id: int) -> str:
    """Send one logged message; on failure schedule the next attempt (the
    backoff of NOTIFY_RETRY_MINUTES) or, after NOTIFY_MAX_ATTEMPTS, mark it
    failed. Returns the message's status, or "skipped" when there was nothing
    to do (already sent, failed, or not due yet)."""
    message = delivery.claim(message_id, timezone.now())
    if message is None:
        return "skipped"
    try:
        delivery.transmit(message)
    except Exception as exc:  # any refusal of the channel is a failed attempt
        # Only the type: the text may hold the address or number (an SMTP refusal
        # names the recipient; a gateway echoes it). It is kept in last_error.
        logger.warning(
            "message %s (%s) not delivered: %s", message.pk, message.channel, type(exc).__name__
        )
        with transaction.atomic():
            retry_at = delivery.record_failure(message, exc, timezone.now())
            if retry_at is not None:
                # In the same transaction as the log row: both or neither.
                deliver.using(run_after=retry_at).enqueue(message.pk)
        return message.status
    delivery.record_sent(message, timezone.now())
    return message.status


@task()
def sweep() -> int:
    """Hand the messages that lost their delivery task back to it
    (`delivery.sweep`), then schedule the next sweep, also when this one
    failed (a dropped connection must not end the chain until the worker
    restarts). Returns how many."""
    try:
        handed = delivery.sweep(timezone.now())
        if handed:
            logger.warning("%d stuck message(s) handed back to delivery: %s", len(handed), handed)
    finally:
        schedule_sweep()
    return len(handed)


def schedule_sweep() -> bool:
    """Enqueue the next sweep NOTIFY_SWEEP_MINUTES from now, unless one is
    already waiting (`mac.core.tasks.schedule_next`). Whether it enqueued."""
    return schedule_next(sweep, settings.NOTIFY_SWEEP_MINUTES)
