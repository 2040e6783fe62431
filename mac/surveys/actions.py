"""Every write of surveys: offer the survey of an attention, answer it (by
link or at the counter's tablet), send the invitation, and import a year of
the annual survey.

One answer per attention: the invitation row is locked while answering, and
the unique attention of `Response` refuses a second answer even if two
requests raced past the check. A refused action raises a SurveyError inside
its transaction, which rolls back: nothing is stored."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mac.core import audit
from mac.core.calendar import LIMA, to_lima, today_lima
from mac.core.params import parse_int
from mac.queueing.models import Attention, Counter, Ticket, TicketEvent
from mac.surveys import notices
from mac.surveys.annual import AnnualRow
from mac.surveys.conf import conf
from mac.surveys.errors import AlreadyAnswered, Conflict, Expired, Invalid, NotFound
from mac.surveys.models import (
    AnnualImport,
    AnnualResponse,
    Invitation,
    Response,
    ResponseChannel,
)
from mac.surveys.questions import (
    COMMENT_MAX,
    DRIVERS,
    NPS_MAX,
    NPS_MIN,
    OVERALL,
    RECOMMEND,
    SCALE_MAX,
    SCALE_MIN,
    one_line_break,
)

# A link's token: URL-safe base64, as secrets.token_urlsafe(24) draws it
# (32 characters; the column takes up to 43). Anything else is not a token and
# is "not found" before any query (a NUL byte would even crash PostgreSQL).
TOKEN = re.compile(r"[A-Za-z0-9_-]{32,43}")
FIRST_ANNUAL_YEAR = 2013  # the annual survey runs since 2013
LANGUAGES = ("es", "qu")


logger = logging.getLogger(__name__)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def last_moment(day: dt.date) -> dt.datetime:
    """The last microsecond of this Lima day (23:59:59.999999)."""
    return dt.datetime.combine(day, dt.time.max, tzinfo=LIMA)


# -- Offer ---------------------------------------------------------------------


@transaction.atomic
def offer(attention: Attention, *, now: dt.datetime | None = None) -> Invitation:
    """The attention's survey invitation, made the first time (idempotent:
    one per attention). It expires at the end of the Lima day TOKEN_DAYS
    after the attention's (the day the email and the SMS name: "hasta el 8
    de diciembre" holds all that day); when the visit left an email or a
    phone, the invitation goes there after INVITE_DELAY_MINUTES unless the
    citizen answered first."""
    now = _now(now)
    invitation = Invitation.objects.filter(attention=attention).first()
    if invitation is not None:
        return invitation
    expires = last_moment(
        to_lima(attention.ended_at).date() + dt.timedelta(days=conf("TOKEN_DAYS"))
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    attention=attention,
                    token=secrets.token_urlsafe(24),
                    created_at=now,
                    expires_at=expires,
                )
            break
        except IntegrityError:
            # Another request offered it first (unique attention), or the
            # token collided (about 1 in 10^57): read the winner or draw again.
            invitation = Invitation.objects.filter(attention=attention).first()
            if invitation is not None:
                return invitation
    else:
        raise RuntimeError("could not draw a unique survey token")
    assert invitation is not None
    audit.record("surveys.offered", invitation, attention=attention.pk)
    notices.schedule(invitation)
    return invitation


def offer_after_finish(attention: Attention) -> Invitation | None:
    """Offer the survey right after `finish`, in the caller's transaction:
    a failure here rolls back to a savepoint, is logged, and never undoes
    the attention (the advisor desk and the queue API call this). None too
    for an attention the survey does not ask about (`surveyed`)."""
    if not surveyed(attention):
        return None
    try:
        with transaction.atomic():
            return offer(attention)
    except Exception:
        logger.exception("Survey not offered for attention %s", attention.pk)
        return None


@transaction.atomic
def send_invitation(invitation_id: int, *, now: dt.datetime | None = None) -> bool:
    """Send the invitation by email/SMS unless it was answered (by its link
    or at the counter's tablet), skipped at the tablet, expired or already
    sent. True when a message was logged for delivery. A citizen who skipped
    the survey at the tablet said no to it: the link on their status page
    stays valid, but no message asks them again."""
    now = _now(now)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("attention__center", "attention__entity", "attention__service")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.notified_at:
        return False
    if invitation.answered_at or invitation.tablet_dismissed_at:
        return False
    if invitation.is_expired(now):
        return False
    contact = notices.contact_for(invitation.attention)
    if contact is None or not notices.send(invitation, contact):
        return False
    invitation.notified_at = now
    invitation.save(update_fields=["notified_at"])
    audit.record("surveys.invited", invitation)
    return True


# -- Answer ---------------------------------------------------------------------


def _score(answers: Mapping[str, Any], code: str, label: Any, low: int, high: int) -> int:
    raw = answers.get(code)
    if isinstance(raw, str):
        raw = parse_int(raw, low, high)
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise Invalid(
            _("«%(question)s»: elige un número del %(low)s al %(high)s.")
            % {"question": label, "low": low, "high": high},
            code=f"invalid_{code}",
        )
    return raw


def clean_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers, checked: each score 1-5, recommendation 0-10, comment up
    to COMMENT_MAX characters once its line breaks are "\\n" (one character
    each). Raises Invalid on the first bad value."""
    values: dict[str, Any] = {
        q.code: _score(answers, q.code, q.label, SCALE_MIN, SCALE_MAX) for q in [OVERALL, *DRIVERS]
    }
    values["recommend"] = _score(answers, "recommend", RECOMMEND.label, NPS_MIN, NPS_MAX)
    comment = answers.get("comment") or ""
    if not isinstance(comment, str):
        raise Invalid(_("El comentario debe ser texto."), code="invalid_comment")
    comment = one_line_break(comment).strip()
    if len(comment) > COMMENT_MAX:
        raise Invalid(
            _("El comentario tiene más de %(n)s caracteres.") % {"n": COMMENT_MAX},
            code="invalid_comment",
        )
    values["comment"] = comment
    return values


def looks_like_token(token: str) -> bool:
    """Whether `token` has the form of a link's token (not whether it exists)."""
    return TOKEN.fullmatch(token) is not None


def _locked(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("attention")
        .filter(token=token)
        .first()
        if looks_like_token(token)
        else None
    )
    if invitation is None:
        raise NotFound(_("No encontramos esta encuesta. Revisa el enlace."), code="not_found")
    return invitation


def _answer(
    invitation: Invitation,
    answers: Mapping[str, Any],
    *,
    channel: str,
    language: str,
    now: dt.datetime,
) -> Response:
    if invitation.answered_at is not None:
        raise AlreadyAnswered(
            _("Esta encuesta ya fue respondida. Gracias: solo se registra una respuesta."),
            code="already_answered",
        )
    if invitation.is_expired(now):
        raise Expired(
            _("El plazo para responder esta encuesta venció."),
            code="expired",
        )
    if language not in LANGUAGES:
        raise Invalid(_("Idioma no disponible."), code="invalid_language")
    values = clean_answers(answers)
    attention = invitation.attention
    try:
        with transaction.atomic():
            response = Response.objects.create(
                attention=attention,
                invitation=invitation,
                center_id=attention.center_id,
                entity_id=attention.entity_id,
                service_id=attention.service_id,
                counter_id=attention.counter_id,
                advisor_id=attention.advisor_id,
                attended_at=attention.ended_at,
                language=language,
                channel=channel,
                answered_at=now,
                **values,
            )
    except IntegrityError:
        raise AlreadyAnswered(
            _("Esta encuesta ya fue respondida. Gracias: solo se registra una respuesta."),
            code="already_answered",
        ) from None
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    # No scores or comment in the audit log: the answer itself is the record.
    audit.record("surveys.answered", response, attention=attention.pk, channel=channel)
    return response


@transaction.atomic
def answer(
    token: str,
    answers: Mapping[str, Any],
    *,
    channel: str = ResponseChannel.LINK,
    language: str = "es",
    now: dt.datetime | None = None,
) -> Response:
    """Store the answer of the invitation with this token (once)."""
    invitation = _locked(token)
    return _answer(invitation, answers, channel=channel, language=language, now=_now(now))


def surveyed(attention: Attention) -> bool:
    """Whether the survey asks about this attention: every attention the
    advisor finished, whatever its outcome ("derivado" too: the citizen sent
    on to another office was attended here, and the survey measures that
    attention), but not one the advisor transferred to another service of the
    center: the citizen's visit goes on in the same line, and the survey
    comes when that next attention ends (as `offer_after_finish`, which
    `transfer` never calls)."""
    ticket = attention.ticket
    return ticket is None or ticket.state != Ticket.State.TRANSFERRED


def pending_at_counter(counter: Counter, now: dt.datetime) -> Attention | None:
    """The attention the counter's tablet offers: the counter's last finished
    one, if it ended less than TABLET_MINUTES ago, is surveyed (not passed on
    to another service), was neither answered nor skipped, and the counter
    has not called another ticket since (the citizen in front of the tablet
    may then be the next one: they must not see, nor answer, the previous
    one's survey)."""
    since = now - dt.timedelta(minutes=conf("TABLET_MINUTES"))
    last = (
        Attention.objects.select_related("service", "entity", "ticket")
        .filter(counter=counter, ended_at__lte=now)
        .order_by("-ended_at", "-id")
        .first()
    )
    if last is None or last.ended_at < since or not surveyed(last):
        return None
    since_then = TicketEvent.objects.filter(
        counter=counter,
        state__in=(Ticket.State.CALLED, Ticket.State.SERVING),
        at__gte=last.ended_at,
        at__lte=now,
    )
    if last.ticket_id is not None:
        since_then = since_then.exclude(ticket_id=last.ticket_id)
    if since_then.exists():
        return None  # the counter moved on to another ticket
    done = Invitation.objects.filter(attention=last).exclude(
        answered_at=None, tablet_dismissed_at=None
    )
    return None if done.exists() else last


def _at_counter(counter: Counter, attention_id: int, now: dt.datetime) -> Invitation:
    attention = pending_at_counter(counter, now)
    if attention is None or attention.pk != attention_id:
        raise Expired(_("Esta encuesta ya no está disponible en el módulo."), code="not_pending")
    offer(attention, now=now)
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("attention")
        .get(attention=attention)
    )


@transaction.atomic
def answer_at_counter(
    counter: Counter,
    attention_id: int,
    answers: Mapping[str, Any],
    *,
    language: str = "es",
    now: dt.datetime | None = None,
) -> Response:
    """Store the answer given at the counter's tablet."""
    now = _now(now)
    invitation = _at_counter(counter, attention_id, now)
    return _answer(invitation, answers, channel=ResponseChannel.TABLET, language=language, now=now)


@transaction.atomic
def dismiss_at_counter(
    counter: Counter, attention_id: int, *, now: dt.datetime | None = None
) -> Invitation:
    """The citizen skipped the survey at the tablet (the link stays valid)."""
    now = _now(now)
    invitation = _at_counter(counter, attention_id, now)
    invitation.tablet_dismissed_at = now
    invitation.save(update_fields=["tablet_dismissed_at"])
    audit.record("surveys.dismissed_at_counter", invitation)
    return invitation


# -- Annual survey ---------------------------------------------------------------


@transaction.atomic
def import_annual(
    rows: list[AnnualRow],
    *,
    year: int,
    filename: str,
    by: Any = None,
    replace: bool = False,
    now: dt.datetime | None = None,
) -> AnnualImport:
    """Store a year of the annual survey (rows already read and checked by
    mac.surveys.annual.read). A year already imported is refused unless
    `replace`, which swaps the old rows for the new in one transaction."""
    now = _now(now)
    if not FIRST_ANNUAL_YEAR <= year <= today_lima().year:
        raise Invalid(
            _("El año debe estar entre %(first)s y %(last)s.")
            % {"first": FIRST_ANNUAL_YEAR, "last": today_lima().year},
            code="invalid_year",
        )
    if not rows:
        raise Invalid(_("El archivo no tiene respuestas."), code="empty_file")
    previous = AnnualImport.objects.select_for_update().filter(year=year).first()
    if previous is not None:
        if not replace:
            raise Conflict(
                _("La encuesta anual %(year)s ya fue importada. Use la opción de reemplazar.")
                % {"year": year},
                code="year_imported",
            )
        previous.delete()
    batch = AnnualImport.objects.create(
        year=year,
        filename=filename[:200],
        rows=len(rows),
        imported_at=now,
        imported_by=by if getattr(by, "is_authenticated", False) else None,
    )
    AnnualResponse.objects.bulk_create(
        (
            AnnualResponse(
                batch=batch,
                year=year,
                line=row.line,
                center_id=row.center_id,
                entity_id=row.entity_id,
                service_id=row.service_id,
                recommend=row.recommend,
                **row.scores,
            )
            for row in rows
        ),
        batch_size=1000,
    )
    audit.record(
        "surveys.annual.imported",
        batch,
        by=by,
        year=year,
        rows=len(rows),
        replaced=previous is not None,
    )
    return batch
