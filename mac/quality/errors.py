"""Errors of complaint and compliment actions, each with the HTTP status the
API answers and a stable `code` for clients."""

from __future__ import annotations


class QualityError(Exception):
    status = 409

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        # The form field the refusal is about, when there is one.
        self.field = field


class NotFound(QualityError):
    status = 404


class Forbidden(QualityError):
    status = 403


class Invalid(QualityError):
    status = 422


class Conflict(QualityError):
    status = 409


class LimitReached(QualityError):
    status = 429
