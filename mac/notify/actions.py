"""Sending notifications: the one way the platform emails or texts anybody.

`send` validates, renders the texts now (in the citizen's language), logs one
`Message` per channel and enqueues its delivery when the caller's transaction
commits, so that a rolled-back booking sends nothing. Delivery, with its
retries, runs in the background (`mac.notify.tasks.deliver`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from mac.core import locks, rows
from mac.core.phones import mobile_e164
from mac.notify import kinds
from mac.notify.models import Message, MessageAttachment
from mac.notify.rendering import render
from mac.notify.tasks import deliver

LANGUAGES = ("es", "qu")
MAX_REF = 200
CAPPED = (
    "Limit: not sent, the recipient already got %(n)s messages in the last hour "
    "(NOTIFY_MAX_PER_RECIPIENT_HOUR)"
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def send(
    kind: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    language: str = "es",
    context: Mapping[str, Any] | None = None,
    attachments: Iterable[Attachment] = (),
    ref: str = "",
) -> list[Message]:
    """Log and enqueue a message of `kind` to `email` and/or `phone` (email
    first). Attachments go with the email only. A citizen's address or number
    that already got NOTIFY_MAX_PER_RECIPIENT_HOUR messages in the last hour
    gets none: its message is logged as failed (CAPPED), not sent. The cap is
    exact under concurrent sends: each recipient's count and message are
    serialised until the caller's transaction ends. Raises ValueError, having
    stored nothing, for an unknown kind, a missing context key, no or an
    invalid recipient, or an unknown language."""
    spec = kinds.get(kind)
    if not email and not phone:
        raise ValueError("send() needs an email, a phone or both")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    if len(ref) > MAX_REF:
        raise ValueError(f"ref is longer than {MAX_REF} characters")
    values = _checked_context(spec, context or {})
    files = list(attachments)
    if any(not isinstance(f, Attachment) for f in files):
        raise ValueError("attachments must be mac.notify.actions.Attachment objects")
    address = _email(email) if email else None
    number = _phone(phone) if phone else None

    log = partial(Message, kind=kind, language=language, ref=ref)
    messages: list[Message] = []
    if address:
        messages.append(
            log(
                channel=Message.Channel.EMAIL,
                recipient=address,
                subject=render(spec, "subject", language, values),
                body=render(spec, "body", language, values),
            )
        )
    if number:
        messages.append(
            log(
                channel=Message.Channel.SMS,
                recipient=number,
                body=render(spec, "sms", language, values),
            )
        )

    # Each booking's confirmation sends here (mac bench booking): no savepoint
    # inside the caller's transaction (nothing here is caught and retried: an
    # error rolls the caller back), and the rows in plain SQL (mac.core.rows).
    with transaction.atomic(savepoint=False):
        if not spec.to_staff:
            _lock_recipients(messages)
        for message in messages:
            if not spec.to_staff and _over_cap(message):
                message.status = Message.Status.FAILED
                message.last_error = CAPPED % {"n": settings.NOTIFY_MAX_PER_RECIPIENT_HOUR}
                rows.create(message)
                logger.warning(
                    "message %s (%s) not sent: over the cap", message.pk, message.channel
                )
                continue
            rows.create(message)
            if message.channel == Message.Channel.EMAIL:
                _attach(message, files)
            # robust: the caller's change is committed by then; a failed
            # enqueue is logged and leaves the message "queued" in the log.
            transaction.on_commit(partial(deliver.enqueue, message.pk), robust=True)
    return messages


def _attach(message: Message, files: list[Attachment]) -> None:
    with connection.cursor() as cursor:
        for f in files:
            cursor.execute(
                *rows.insert(
                    MessageAttachment(
                        message=message, filename=f.filename, mimetype=f.mimetype, content=f.content
                    )
                )
            )


def _lock_recipients(messages: list[Message]) -> None:
    """Serialise the cap of each recipient (channel and address or number)
    until the transaction commits, so that two sends at once cannot both
    count the last free place: a PostgreSQL advisory lock per recipient,
    taken in one order. SQLite transactions are already serial."""
    if not settings.NOTIFY_MAX_PER_RECIPIENT_HOUR:
        return
    locks.hold_until_commit(
        *(f"notify.recipient:{message.channel}:{message.recipient}" for message in messages)
    )


def _over_cap(message: Message) -> bool:
    """Whether the recipient already got NOTIFY_MAX_PER_RECIPIENT_HOUR messages
    on this channel in the last hour (sent or not: a flood stays capped)."""
    cap = settings.NOTIFY_MAX_PER_RECIPIENT_HOUR
    if not cap:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {connection.ops.quote_name(Message._meta.db_table)} "
            "WHERE recipient = %s AND channel = %s AND created_at > %s",
            [
                message.recipient,
                message.channel,
                connection.ops.adapt_datetimefield_value(timezone.now() - dt.timedelta(hours=1)),
            ],
        )
        (recent,) = cursor.fetchone()
    return bool(recent >= cap)


def _checked_context(spec: kinds.Kind, context: Mapping[str, Any]) -> dict[str, Any]:
    missing = sorted(spec.required - context.keys())
    if missing:
        raise ValueError(f"message kind {spec.name!r} needs context key(s): {', '.join(missing)}")
    for key, value in context.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError(
                f"context key {key!r} must be a string or an integer, not {type(value).__name__}"
            )
    return dict(context)


def _email(value: str) -> str:
    address = value.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValueError(f"invalid email address {value!r}") from None
    return address


def _phone(value: str) -> str:
    """The number in E.164; numbers without a country code are Peruvian."""
    number = mobile_e164(value)
    if number is None:
        raise ValueError(f"{value!r} is not a valid mobile phone number")
    return number
