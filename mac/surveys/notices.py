"""The survey invitation by email or SMS (mac/notify kind
"survey_invitation"), sent some minutes after the attention so that a
citizen who answered or skipped the survey at the counter's tablet gets
nothing.

The contact comes from the visit's appointment (the only place a center
visit records an email or a phone today): if a visit ever records a
contact of its own, read it here too. The message speaks the attention's
language, as the page it links to does."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from mac.core.calendar import to_lima
from mac.core.dates import spelled
from mac.core.links import absolute
from mac.surveys.conf import conf

if TYPE_CHECKING:
    from mac.queueing.models import Attention
    from mac.surveys.models import Invitation

logger = logging.getLogger(__name__)
KIND = "survey_invitation"


@dataclass(frozen=True)
class Contact:
    email: str
    phone: str
    language: str


def contact_for(attention: Attention) -> Contact | None:
    """The email and phone the citizen of this attention left, if any."""
    from mac.appointments.models import Booking

    if not attention.ticket_id:
        return None
    booking = (
        Booking.objects.filter(ticket__visit__tickets=attention.ticket_id)
        .exclude(email="", phone="")
        .order_by("-created_at")
        .first()
    )
    if booking is None:
        return None
    return Contact(
        email=booking.email,
        phone=booking.phone,
        language=message_language(attention, booking.language),
    )


def message_language(attention: Attention, notices_language: str) -> str:
    """The language the invitation is written in: the attention's, which its
    link opens in (mac.surveys.views), not the booking's notices language,
    which the citizen may have changed at the kiosk. An attention in a
    language the site has no texts for (Aymara, sign language) keeps the
    booking's notices language, else Spanish."""
    languages = dict(settings.LANGUAGES)
    for language in (attention.language, notices_language):
        if language in languages:
            return language
    return str(settings.LANGUAGE_CODE)


def page_language(attention: Attention) -> str:
    """The language chosen for the survey page: the one the invitation's
    message was written in when the citizen left a contact
    (`message_language`: a citizen served in Aymara or sign language who
    chose Quechua notices reads the page in Quechua too, not in the
    browser's language), else the attention's."""
    contact = contact_for(attention)
    return contact.language if contact is not None else attention.language


def survey_path(token: str) -> str:
    return reverse("surveys:answer", kwargs={"token": token})


def survey_url(token: str) -> str:
    return absolute(survey_path(token))


def schedule(invitation: Invitation) -> bool:
    """Enqueue the invitation's message when the visit left a contact."""
    from mac.surveys import tasks

    if contact_for(invitation.attention) is None:
        return False
    at = invitation.attention.ended_at + dt.timedelta(minutes=conf("INVITE_DELAY_MINUTES"))
    tasks.invite.using(run_after=at).enqueue(invitation.pk)
    return True


def send(invitation: Invitation, contact: Contact) -> bool:
    """Log and enqueue the message; False (logged) when notify refuses the
    contact, e.g. a landline that takes no SMS."""
    from mac.notify.actions import send as notify

    attention = invitation.attention
    until = spelled(to_lima(invitation.expires_at).date(), contact.language, year=False)
    context = {
        "center": attention.center.name if attention.center else str(attention.entity.acronym),
        "service": attention.service.plain_name,
        "survey_url": survey_url(invitation.token),
        "until": until,
    }
    try:
        notify(
            KIND,
            email=contact.email or None,
            phone=contact.phone or None,
            language=contact.language,
            context=context,
            ref=f"surveys.invitation:{invitation.pk}",
        )
    except ValueError:
        logger.warning("Survey invitation %s not sent: contact refused", invitation.pk)
        return False
    return True
