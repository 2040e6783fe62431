"""Reads of the delivery log worth naming."""

from __future__ import annotations

from mac.notify.models import Message, MessageQuerySet


def messages_about(ref: str) -> MessageQuerySet:
    """Every message sent about `ref` (e.g. "appointments.booking:42"), oldest first."""
    return Message.objects.about(ref).order_by("created_at", "id")
