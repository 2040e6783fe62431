"""Handing one message to its channel, and the delivery task's own writes to
the log (claim, sent, failure). The task in `mac.notify.tasks` drives them.

A message is claimed (status "sending", attempts + 1) in a short transaction
before it goes out, so that a second run of the task for the same message
sends nothing, and no database lock is held while the mail server or the SMS
gateway answers (on SQLite a lock would stop every other writer).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from mac.notify import sms
from mac.notify.models import Message

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
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
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
        sms.get_backend().send(message.recipient, message.body)


def record_sent(message: Message, now: dt.datetime) -> None:
    message.status = Message.Status.SENT
    message.sent_at = now
    message.save(update_fields=["status", "sent_at"])


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
    message.save(update_fields=["status", "last_error", "next_attempt_at"])
    return message.next_attempt_at
