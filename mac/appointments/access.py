"""Who books for somebody else: an operator of Aló MAC (or the staff who may
stand in for one), in the API and on the booking pages; and who must prove
some work before taking a place (everyone else)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mac.accounts.models import Role
from mac.appointments.conf import conf

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


def needs_proof_of_work(operator: Any) -> bool:
    """Whether holding a place (alone or in a one-step booking) or joining a
    waitlist asks for a proof of work (mac.core.pow), so that bots cannot
    sweep the agenda: of a citizen, on the pages or as an anonymous API
    client; not of an operator (`page_operator`, or the API's operator: an
    operator's session or API key). The pages and the API ask it for the same
    actions; confirming a hold (proved when it was taken), rescheduling,
    cancelling and looking a booking up (which take its code and document)
    do not."""
    return bool(conf("POW_REQUIRED")) and operator is None
