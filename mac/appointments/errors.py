"""Errors of appointment actions, each with the HTTP status the API answers
and a stable `code` for clients."""

from __future__ import annotations

from django.utils.translation import gettext as _

from mac.core.language import with_spanish


class AppointmentError(Exception):
    status = 409

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class NotFound(AppointmentError):
    status = 404


class Forbidden(AppointmentError):
    status = 403


class Invalid(AppointmentError):
    status = 422


class Conflict(AppointmentError):
    status = 409


class LimitReached(Conflict):
    """A no-hoarding limit; audited after the refused transaction rolls back."""

    def __init__(self, message: str, *, code: str, audit: dict[str, object]):
        super().__init__(message, code=code)
        self.audit = audit


class ServiceNotOffered(Conflict):
    """The center does not offer the service (no active catalog offer, or the
    service is not published or its entity not active): its check-in would
    be refused, as the queue refuses its ticket (`service_not_offered`).
    `audience`: "booking", a citizen booking; "holder", one who has a booking
    already."""

    def __init__(self, *, center: str, service: str, audience: str = "booking"):
        templates = {
            "booking": _(
                "Por ahora %(center)s no ofrece «%(service)s»: no puedes reservar una cita de"
                " este trámite en ese centro. Elige otro Centro MAC."
            ),
            "holder": _(
                "%(center)s ya no ofrece «%(service)s»: el centro no podrá atender tu cita."
                " Puedes anularla y reservar otra en otro Centro MAC; si no, el centro la"
                " anulará y te avisará."
            ),
        }
        names = {"center": center, "service": service}
        super().__init__(with_spanish(templates[audience], names), code="service_not_offered")
