"""Who books for somebody else: an operator of Aló MAC (or the staff who may
stand in for one), in the API and on the booking pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mac.accounts.models import Role

# Who may act for a caller: book by phone, and reschedule or cancel without
# the citizen's limits.
OPERATOR_ROLES = {Role.CALL_CENTER, Role.NATIONAL_SUPERVISOR, Role.CENTER_COORDINATOR}


def page_operator(request: HttpRequest) -> Any:
    """The operator using the booking pages: the signed-in, active user of an
    operator role; None for anyone else (an anonymous citizen, a user of
    another role), for whom the pages are the citizen's."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return user if user.role in OPERATOR_ROLES else None  # type: ignore[union-attr]
