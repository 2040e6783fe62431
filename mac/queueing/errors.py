"""Errors of queue actions, each with the HTTP status the API answers."""

from __future__ import annotations


class QueueError(Exception):
    status = 409

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class NotFound(QueueError):
    status = 404


class Forbidden(QueueError):
    status = 403


class Invalid(QueueError):
    status = 422


class Conflict(QueueError):
    status = 409
