"""Handing one message to its channel, and the delivery task's own writes to
the log (claim, sent, failure). The task in `mac.notify.tasks` drives them.

A message is claimed (status "sending", attempts + 1) in a short transaction
before it goes out, so that a second run of the task for the same message
sends nothing, and no database lock is held while the mail server or the SMS
gateway answers (on SQLite a lock would stop every other writer).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q

from mac.notify import sms
from mac.notify.models import Message, MessageQuerySet

MAX_ERROR = 2000


def claim(message_id: int, now: dt.datetime) -> Message | None:
    """The message, marked as being sent, if it is due; None otherwise (already
    sent, failed, being sent by another run, or waiting for a later retry)."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or not message.is_due(now):
            return None
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.next_attempt_at = None
        message.touched_at = now
        message.save(update_fields=["status", "attempts", "next_attempt_at", "touched_at"])
    return message


def transmit(message: Message) -> None:
    """Hand the message over; raises when the channel refuses it."""
    if message.channel == Message.Channel.EMAIL:
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
        )
        for attachment in message.attachments.all():
            email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
        email.send()
    else:
        sms.get_backend().send(message.recipient, message.body, key=idempotency_key(message))


def idempotency_key(message: Message) -> str:
    """The same on every attempt to send `message`, so that the SMS gateway can
    drop a repeat (an attempt whose answer came too late is retried)."""
    return f"mac-{message.pk}"


def record_sent(message: Message, now: dt.datetime) -> None:
    message.status = Message.Status.SENT
    message.sent_at = now
    message.touched_at = now
    message.save(update_fields=["status", "sent_at", "touched_at"])


def retry_delay(attempts: int) -> dt.timedelta | None:
    """How long to wait after `attempts` failed attempts; None when no attempt
    is left. NOTIFY_RETRY_MINUTES lists the waits; the last one repeats."""
    if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        return None
    waits = settings.NOTIFY_RETRY_MINUTES or [1]
    return dt.timedelta(minutes=waits[min(attempts, len(waits)) - 1])


def record_failure(message: Message, error: BaseException, now: dt.datetime) -> dt.datetime | None:
    """Log the failure; returns when to try again, or None if the message failed
    for good."""
    delay = retry_delay(message.attempts)
    message.last_error = f"{type(error).__name__}: {error}"[:MAX_ERROR]
    if delay is None:
        message.status = Message.Status.FAILED
        message.next_attempt_at = None
    else:
        message.status = Message.Status.RETRYING
        message.next_attempt_at = now + delay
    message.touched_at = now
    message.save(update_fields=["status", "last_error", "next_attempt_at", "touched_at"])
    return message.next_attempt_at


INTERRUPTED = "Interrupted: the worker stopped while handing the message over"


def stuck(now: dt.datetime) -> MessageQuerySet:
    """Messages whose delivery task was lost: still queued, or due for a retry,
    NOTIFY_STUCK_MINUTES after the delivery last touched them (an enqueue that
    failed after the commit; a worker stopped), or still being sent that long
    after they were claimed (the worker stopped during the send)."""
    cutoff = now - dt.timedelta(minutes=settings.NOTIFY_STUCK_MINUTES)
    pending = Q(status__in=Message.PENDING, touched_at__lte=cutoff) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=cutoff)
    )
    sending = Q(status=Message.Status.SENDING, touched_at__lte=cutoff)
    return Message.objects.filter(pending | sending)


def sweep(now: dt.datetime) -> list[int]:
    """Hand the stuck messages back to the delivery task; the ids handed back.

    A message stopped while being sent may have gone out: it is tried again
    (at least once, never silently lost) unless that was its last attempt, and
    then it is marked failed. A second task for a message whose own task was
    only late sends nothing (`claim`)."""
    from mac.notify.tasks import deliver

    handed = []
    with transaction.atomic():
        for message in stuck(now).select_for_update().order_by("id"):
            fields = ["touched_at"]
            message.touched_at = now
            if message.status == Message.Status.SENDING:
                message.last_error = INTERRUPTED
                fields += ["status", "last_error", "next_attempt_at"]
                message.next_attempt_at = None
                if retry_delay(message.attempts) is None:
                    message.status = Message.Status.FAILED
                    message.save(update_fields=fields)
                    continue
                message.status = Message.Status.RETRYING
            message.save(update_fields=fields)
            transaction.on_commit(partial(deliver.enqueue, message.pk), robust=True)
            handed.append(message.pk)
    return handed
