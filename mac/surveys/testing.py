"""Builders for survey tests and demos: a RENIEC counter at Lima Norte (Bob)
and a SUNAT counter at Arequipa (Charlie), attentions made through the queue
engine's actions, and answers through the survey actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from mac.accounts.models import User
from mac.catalog.models import Service
from mac.core.testing import Personas, make_personas
from mac.queueing import actions as queue
from mac.queueing.models import Attention, CenterQueue, Counter
from mac.queueing.testing import OPEN, make_counter, queue_service
from mac.surveys import actions
from mac.surveys.models import Response

# Every driver at 4 ("satisfecho"), overall 5, recommendation 9.
GOOD: dict[str, Any] = {
    "overall": 5,
    "kind_treatment": 4,
    "information": 4,
    "times": 4,
    "as_promised": 4,
    "results": 4,
    "accessibility": 4,
    "trust": 4,
    "recommend": 9,
    "comment": "",
}


@dataclass
class World:
    personas: Personas
    dni: Service  # RENIEC at Lima Norte
    ruc: Service  # SUNAT at Arequipa
    reniec_counter: Counter
    sunat_counter: Counter

    @property
    def bob(self) -> User:
        return self.personas.bob

    @property
    def charlie(self) -> User:
        return self.personas.charlie


def build_world(personas: Personas | None = None, *, now: dt.datetime = OPEN) -> World:
    p = personas or make_personas()
    for center in (p.lima_norte, p.arequipa):
        CenterQueue.objects.update_or_create(center=center, defaults={"policy": "fifo"})
    dni = queue_service(p.reniec, "Duplicado del DNI", p.lima_norte, series="R")
    ruc = queue_service(p.sunat, "Inscripción en el RUC", p.arequipa, series="S")
    reniec_counter = make_counter(p.lima_norte, p.reniec, 1, [dni])
    sunat_counter = make_counter(p.arequipa, p.sunat, 1, [ruc])
    queue.sign_in(reniec_counter, by=p.bob, now=now)
    queue.sign_in(sunat_counter, by=p.charlie, now=now)
    return World(p, dni, ruc, reniec_counter, sunat_counter)


def attend(
    counter: Counter,
    advisor: User,
    service: Service,
    *,
    at: dt.datetime = OPEN,
    minutes: int = 10,
    outcome: str = Attention.Outcome.RESOLVED,
    **ticket: Any,
) -> Attention:
    """Issue a ticket at `at`, call, serve it for `minutes` and finish it."""
    queue.issue_ticket(counter.center, service, now=at, **ticket)
    called = queue.call_next(counter, by=advisor, now=at + dt.timedelta(minutes=1))
    assert called is not None
    queue.start(called, by=advisor, now=at + dt.timedelta(minutes=2))
    return queue.finish(
        called, by=advisor, outcome=outcome, now=at + dt.timedelta(minutes=2 + minutes)
    )


def answered(attention: Attention, *, now: dt.datetime | None = None, **answers: Any) -> Response:
    """Offer the attention's survey and answer it by its link."""
    invitation = actions.offer(attention, now=now)
    return actions.answer(invitation.token, {**GOOD, **answers}, now=now)


def answered_many(
    counter: Counter,
    advisor: User,
    service: Service,
    answers: list[dict[str, Any]],
    *,
    start: dt.datetime = OPEN,
) -> list[Response]:
    """One attention every 15 minutes from `start`, each answered in turn."""
    return [
        answered(
            attend(counter, advisor, service, at=start + dt.timedelta(minutes=15 * i)), **given
        )
        for i, given in enumerate(answers)
    ]
