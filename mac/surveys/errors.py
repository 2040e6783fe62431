"""Errors of survey actions, each with the HTTP status the API and the pages
answer and a stable `code` for clients."""

from __future__ import annotations


class SurveyError(Exception):
    status = 409

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class NotFound(SurveyError):
    status = 404


class Forbidden(SurveyError):
    status = 403


class Invalid(SurveyError):
    status = 422


class Conflict(SurveyError):
    status = 409


class AlreadyAnswered(Conflict):
    pass


class Expired(SurveyError):
    status = 410


class ImportRefused(SurveyError):
    """A file of the annual survey with errors: nothing was imported."""

    status = 422

    def __init__(self, message: str, *, errors: list[str]):
        super().__init__(message, code="invalid_file")
        self.errors = errors
