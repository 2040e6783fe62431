"""A refusal that any API router may raise: mac/api.py answers it as every
refusal of the API, {detail, code} (`mac.core.schemas.ErrorOut`). The apps
whose actions refuse things have their own errors (queue, appointments,
quality, surveys); the read-only routers (catalog, centers) raise this."""

from __future__ import annotations


class ApiRefusal(Exception):
    def __init__(self, status: int, message: str, *, code: str):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
