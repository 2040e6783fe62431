"""Rows the center screens keep for themselves: the kiosk devices a
coordinator authorised, and the idempotency keys that make a double tap on a
kiosk return the ticket it already issued."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mac.centers.models import Center
from mac.queueing.models import Ticket


class KioskDevice(models.Model):
    """A browser a coordinator turned into a kiosk of one center. The browser
    holds only a signed cookie with this row's id; revoking the row disables it."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="kiosk_devices")
    name = models.CharField(_("nombre del equipo"), max_length=60)
    created_at = models.DateTimeField(_("autorizado"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revocado"), null=True, blank=True)

    class Meta:
        ordering = ["center", "name"]
        verbose_name = _("kiosko")
        verbose_name_plural = _("kioskos")

    def __str__(self) -> str:
        return f"{self.name} ({self.center})"


class KioskRequest(models.Model):
    """A used one-time form key and the ticket it produced. The unique key makes
    a repeated POST wait for the first one and then answer with its ticket."""

    key = models.CharField(max_length=64, unique=True)
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, null=True, on_delete=models.CASCADE, related_name="+")
    print_failed = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="kioskrequest_created")]

    def __str__(self) -> str:
        return self.key


# A used key stops mattering once no form could still carry it (forms.KEY_MAX_AGE,
# two hours); a day leaves room to look into a complaint about a ticket.
KIOSK_REQUESTS_KEEP = dt.timedelta(days=1)


def prune_kiosk_requests(now: dt.datetime) -> int:
    """Delete the used kiosk form keys older than KIOSK_REQUESTS_KEEP; how many."""
    deleted, _ = KioskRequest.objects.filter(created_at__lt=now - KIOSK_REQUESTS_KEEP).delete()
    return deleted
