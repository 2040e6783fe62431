"""An advisor's session at a counter: sign in and out, pauses, and the
release of counters an account may no longer serve."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mac.centers.models import Center
from mac.core import audit
from mac.core.events import publish_on_commit
from mac.queueing.actions._shared import (
    _check_operator,
    _lock_counter,
    _not_theirs,
    _now,
    _serves_at,
)
from mac.queueing.errors import Conflict
from mac.queueing.models import AdvisorSession, Counter, SessionBreak


def _open_session(counter: Counter) -> AdvisorSession | None:
    return counter.sessions.filter(ended_at=None).first()


@transaction.atomic
def sign_in(counter: Counter, *, by: Any, now: dt.datetime | None = None) -> AdvisorSession:
    now = _now(now)
    counter = _lock_counter(counter)
    if not counter.active:
        raise Conflict(
            _("El %(counter)s está deshabilitado.") % {"counter": counter.label},
            code="counter_inactive",
        )
    if not _serves_at(by, counter):
        raise _not_theirs(counter)
    if counter.advisor_id is not None:
        raise Conflict(
            _("El %(counter)s ya tiene un asesor en sesión.") % {"counter": counter.label},
            code="counter_taken",
        )
    if counter.center.status == Center.Status.CLOSED:
        raise Conflict(
            _("%(center)s está cerrado.") % {"center": counter.center.name}, code="center_closed"
        )
    busy = Conflict(_("Ya tiene una sesión abierta en otro módulo."), code="advisor_busy")
    if AdvisorSession.objects.filter(advisor=by, ended_at=None).exists():
        raise busy
    try:
        with transaction.atomic():
            session = AdvisorSession.objects.create(counter=counter, advisor=by, started_at=now)
    except IntegrityError:  # the same advisor signed in at another counter meanwhile
        raise busy from None
    counter.status = Counter.Status.OPEN
    counter.advisor = by
    counter.free_since = now
    counter.save(update_fields=["status", "advisor", "free_since"])
    audit.record("queue.counter.sign_in", counter, by=by)
    publish_on_commit(
        f"queue.center.{counter.center_id}", {"type": "counter.open", "counter": counter.number}
    )
    return session


@transaction.atomic
def sign_out(counter: Counter, *, by: Any, now: dt.datetime | None = None) -> None:
    now = _now(now)
    counter = _lock_counter(counter)
    _check_operator(counter, by)
    if counter.current_ticket_id:
        raise Conflict(_("Termine la atención en curso antes de dejar el módulo."), code="busy")
    _close_session(counter, by=by, now=now)


def _close_session(counter: Counter, *, by: Any, now: dt.datetime) -> None:
    session = _open_session(counter)
    if session is not None:
        session.breaks.filter(ended_at=None).update(ended_at=now)
        session.ended_at = now
        session.save(update_fields=["ended_at"])
    counter.status = Counter.Status.CLOSED
    counter.advisor = None
    counter.save(update_fields=["status", "advisor"])
    audit.record("queue.counter.sign_out", counter, by=by)
    publish_on_commit(
        f"queue.center.{counter.center_id}", {"type": "counter.closed", "counter": counter.number}
    )


@transaction.atomic
def release_advisor(user: Any, *, by: Any, now: dt.datetime | None = None) -> list[Counter]:
    """Sign `user` out of the counters their account no longer lets them
    serve (moved to another entity or center, another role, deactivated):
    called when an account changes. A counter in the middle of an attention
    stays with the advisor until they finish it (they may finish and sign
    out, not call again). Returns the counters released."""
    now = _now(now)
    released = []
    held = Counter.objects.filter(advisor_id=user.pk).order_by("pk").values_list("pk", flat=True)
    for pk in list(held):
        counter = _lock_counter(Counter(pk=pk))
        if counter.advisor_id != user.pk or _serves_at(user, counter):
            continue
        if counter.current_ticket_id is None:
            _close_session(counter, by=by, now=now)
            released.append(counter)
    return released


@transaction.atomic
def pause(counter: Counter, *, by: Any, reason: str = "", now: dt.datetime | None = None) -> None:
    now = _now(now)
    counter = _lock_counter(counter)
    _check_operator(counter, by)
    if counter.status == Counter.Status.PAUSED:
        raise Conflict(
            _("El %(counter)s ya está en pausa.") % {"counter": counter.label}, code="paused"
        )
    if counter.current_ticket_id:
        raise Conflict(_("Termine la atención en curso antes de pausar."), code="busy")
    session = _open_session(counter)
    assert session is not None  # the counter has an advisor: its session is open
    SessionBreak.objects.create(session=session, started_at=now, reason=reason[:80])
    counter.status = Counter.Status.PAUSED
    counter.save(update_fields=["status"])
    audit.record("queue.counter.pause", counter, by=by, reason=reason[:80])
    publish_on_commit(
        f"queue.center.{counter.center_id}", {"type": "counter.paused", "counter": counter.number}
    )


@transaction.atomic
def resume(counter: Counter, *, by: Any, now: dt.datetime | None = None) -> None:
    now = _now(now)
    counter = _lock_counter(counter)
    _check_operator(counter, by)
    if counter.status != Counter.Status.PAUSED:
        raise Conflict(
            _("El %(counter)s no está en pausa.") % {"counter": counter.label},
            code="not_paused",
        )
    SessionBreak.objects.filter(session__counter=counter, ended_at=None).update(ended_at=now)
    counter.status = Counter.Status.OPEN
    counter.free_since = now
    counter.save(update_fields=["status", "free_since"])
    audit.record("queue.counter.resume", counter, by=by)
    publish_on_commit(
        f"queue.center.{counter.center_id}", {"type": "counter.open", "counter": counter.number}
    )
