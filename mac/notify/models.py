"""The delivery log: one row per message and channel, rendered when it was
asked for, with its status and attempts. Written only by `mac.notify.actions`.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet["Message"]):
    def about(self, ref: str) -> MessageQuerySet:
        return self.filter(ref=ref)

    def email(self) -> MessageQuerySet:
        return self.filter(channel=Message.Channel.EMAIL)

    def sms(self) -> MessageQuerySet:
        return self.filter(channel=Message.Channel.SMS)

    def pending(self) -> MessageQuerySet:
        return self.filter(status__in=Message.PENDING)

    def sent(self) -> MessageQuerySet:
        return self.filter(status=Message.Status.SENT)

    def failed(self) -> MessageQuerySet:
        return self.filter(status=Message.Status.FAILED)


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("correo electrónico")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("en cola")
        # Claimed by a worker that is handing it to the mail server or the
        # SMS gateway; keeps a second run of the task from sending it twice.
        SENDING = "sending", _("enviándose")
        SENT = "sent", _("enviado")
        RETRYING = "retrying", _("por reintentar")
        FAILED = "failed", _("fallido")

    PENDING = (Status.QUEUED, Status.RETRYING)

    kind = models.CharField(_("tipo"), max_length=64, db_index=True)
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("destinatario"), max_length=254)
    language = models.CharField(_("idioma"), max_length=8)
    subject = models.CharField(_("asunto"), max_length=255, blank=True)
    body = models.TextField(_("texto"))
    ref = models.CharField(
        _("referencia"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("De qué trata el mensaje, p. ej. «appointments.booking:42»."),
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("intentos"), default=0)
    last_error = models.TextField(_("último error"), blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("próximo intento"), null=True, blank=True)
    # When the delivery last acted on it (logged, claimed, a retry scheduled,
    # handed back by the sweep): a pending or sending message untouched for
    # NOTIFY_STUCK_MINUTES lost its task (`mac.notify.delivery.sweep`).
    touched_at = models.DateTimeField(_("último movimiento"), default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mensaje")
        verbose_name_plural = _("mensajes")
        indexes = [
            # Every send to a citizen counts the recipient's last hour (the
            # per-recipient cap, mac.notify.actions._over_cap).
            models.Index(
                fields=["recipient", "channel", "created_at"], name="notify_recipient_hour"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.get_status_display()})"

    def is_due(self, now: dt.datetime) -> bool:
        """Pending and not waiting for a later retry."""
        if self.status not in self.PENDING:
            return False
        return self.next_attempt_at is None or self.next_attempt_at <= now


class MessageAttachment(models.Model):
    """A file sent with an email, kept so that a retry sends it again."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("nombre del archivo"), max_length=200)
    mimetype = models.CharField(_("tipo"), max_length=200)
    content = models.BinaryField(_("contenido"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("adjunto")
        verbose_name_plural = _("adjuntos")

    def __str__(self) -> str:
        return self.filename
