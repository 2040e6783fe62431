"""Errors of appointment actions, each with the HTTP status the API answers
and a stable `code` for clients."""

from __future__ import annotations


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
