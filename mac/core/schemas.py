"""Schemas every API router shares."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    """A refused request: `detail` says why (Spanish), `code` is for programs."""

    detail: str
    code: str
    errors: list[dict[str, Any]] | None = Field(
        None, description="con code «invalid»: cada campo rechazado y por qué"
    )


def errors(*statuses: int) -> dict[int, Any]:
    """The error responses of a route, for its `response=` map."""
    return dict.fromkeys(statuses, ErrorOut)
