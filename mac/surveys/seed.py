"""Survey demo data (illustrative): about one attention in 25 of the
demo's day of history answered the satisfaction survey, on the counter's
tablet or by its link, shortly after the attention. Scores lean on how long
the citizen waited against the service's target, so that results and
supervision have something real-looking to show. Idempotent: once any answer
exists, it adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from mac.queueing.models import Attention
from mac.surveys import actions
from mac.surveys.models import Response, ResponseChannel
from mac.surveys.questions import DRIVER_CODES

SHARE = 1 / 25
COMMENTS = [
    "Me atendieron rápido y con amabilidad.",
    "La espera fue larga, pero el asesor me explicó todo.",
    "Faltan asientos en la sala de espera.",
    "Muy buena atención, gracias.",
    "Deberían avisar antes qué documentos traer.",
]


def _scores(rng: random.Random, late: bool) -> dict[str, object]:
    """A plausible answer: mostly satisfied; less so, and about the waiting
    time above all, when the citizen waited past the target."""
    base = 3.4 if late else 4.3

    def score(shift: float = 0.0) -> int:
        return max(1, min(5, round(rng.gauss(base + shift, 0.7))))

    answers: dict[str, object] = {code: score() for code in DRIVER_CODES}
    answers["times"] = score(-0.8 if late else 0.0)
    answers["overall"] = score()
    answers["recommend"] = max(0, min(10, round(rng.gauss(2 * base - 0.5, 1.5))))
    if rng.random() < 0.2:
        answers["comment"] = rng.choice(COMMENTS)
    return answers


def seed_survey_answers(*, log: Callable[[str], None]) -> int:
    if Response.objects.exists():
        log(f"Encuestas: {Response.objects.count()} respuestas (0 nuevas)")
        return 0
    rng = random.Random("mac-surveys")
    attentions = Attention.objects.filter(ended_at__isnull=False).order_by("pk")
    made = 0
    for attention in attentions.iterator():
        if rng.random() >= SHARE:
            continue
        late = attention.wait_seconds > (attention.target_wait_seconds or 15 * 60)
        answered = attention.ended_at + dt.timedelta(minutes=rng.randint(1, 90))
        channel = ResponseChannel.TABLET if rng.random() < 0.6 else ResponseChannel.LINK
        invitation = actions.offer(attention, now=attention.ended_at)
        actions.answer(
            invitation.token,
            _scores(rng, late),
            channel=channel,
            language="qu" if rng.random() < 0.05 else "es",
            now=answered,
        )
        made += 1
    log(f"Encuestas: {made} respuestas de ejemplo")
    return made
