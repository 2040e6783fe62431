"""The message kinds the platform sends, each with the context keys its
templates need.

A kind's texts live in `mac/notify/templates/notify/<kind>/`: `subject.txt`
and `body.txt` for email, `sms.txt` for SMS (under 160 characters where
possible; a kind whose SMS must be one part names the context key that gives
way: `sms_fit`). A new feature registers its kinds here, next to the others, and
adds the three templates; a test renders every registered kind in every
language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    required: frozenset[str]
    # Sent to staff (not to a citizen): not under the per-recipient cap, since
    # one officer may be alerted about many claims at the same hour.
    to_staff: bool = False
    # The context key (a free text, such as a service's name) that the SMS
    # writes in the GSM alphabet and shortens with "..." as far as needed to
    # keep the SMS to one part (mac.notify.rendering); "": none.
    sms_fit: str = ""

    def template(self, part: str) -> str:
        return f"notify/{self.name}/{part}.txt"


KINDS: dict[str, Kind] = {}


def register(name: str, *required: str, to_staff: bool = False, sms_fit: str = "") -> Kind:
    if name in KINDS:
        raise ValueError(f"message kind {name!r} is already registered")
    if sms_fit and sms_fit not in required:
        raise ValueError(f"sms_fit {sms_fit!r} is not a context key of {name!r}")
    kind = Kind(name, frozenset(required), to_staff, sms_fit)
    KINDS[name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown message kind {name!r}") from None


# -- Appointments (mac.appointments) ----------------------------------------

_BOOKING = ("code", "service", "entity", "center", "address", "when", "manage_url")

APPOINTMENT_CONFIRMED = register("appointment_confirmed", *_BOOKING, "document_hint")
APPOINTMENT_RESCHEDULED = register("appointment_rescheduled", *_BOOKING, "document_hint")
APPOINTMENT_CANCELLED = register(
    "appointment_cancelled", "code", "service", "center", "when", "manage_url"
)
# The center cancelled a booking it could not attend: `reason` says why (in
# the citizen's language), `book_url` where to book again; "when_short"
# ("02/12 09:00") keeps the SMS in one part.
APPOINTMENT_CANCELLED_BY_CENTER = register(
    "appointment_cancelled_by_center",
    "code",
    "service",
    "center",
    "when",
    "when_short",
    "reason",
    "book_url",
)
APPOINTMENT_REMINDER = register(
    "appointment_reminder",
    "code",
    "service",
    "center",
    "address",
    "when",
    "manage_url",
    "document_hint",
    "lead",
)
# "when_short" ("02/12 09:00") keeps the SMS, with its long link, in one part;
# a long service name gives way ("Subir de categoria mi...").
WAITLIST_OFFER = register(
    "waitlist_offer",
    "service",
    "center",
    "when",
    "when_short",
    "code",
    "confirm_url",
    "offer_until",
    sms_fit="service",
)
APPOINTMENT_NO_SHOW = register(
    "appointment_no_show", "code", "service", "center", "when", "restricted_until"
)

# -- Complaints book (mac.quality) -------------------------------------------

COMPLAINT_FILED = register("complaint_filed", "code", "entity", "filed_at", "due_date", "track_url")
COMPLAINT_ANSWERED = register("complaint_answered", "code", "entity", "answer", "track_url")
COMPLAINT_DUE_SOON = register(
    "complaint_due_soon", "code", "entity", "due_date", "days_left", "staff_url", to_staff=True
)
COMPLAINT_OVERDUE = register(
    "complaint_overdue", "code", "entity", "due_date", "staff_url", to_staff=True
)

# -- Surveys (mac.surveys) ----------------------------------------------------

SURVEY_INVITATION = register("survey_invitation", "center", "service", "survey_url", "until")
