"""The questionnaire: overall satisfaction and the seven drivers of citizen
satisfaction named in DOMAIN.md, each on the same 5-point scale, then the
0-10 recommendation question (NPS) and a free comment.

The codes are the model fields and the API's keys; `column` is the heading
of the annual survey's CSV file (mac/surveys/annual.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

SCALE_MIN, SCALE_MAX = 1, 5
NPS_MIN, NPS_MAX = 0, 10
TOP_TWO = 4  # "satisfecho" or "muy satisfecho" counts for CSAT
PROMOTER, DETRACTOR = 9, 6  # 9-10 promote; 0-6 detract
COMMENT_MAX = 1000  # characters, a line break counting as one (as the textarea's maxlength)

SCALE: list[tuple[int, Any]] = [
    (1, _("Muy insatisfecho")),
    (2, _("Insatisfecho")),
    (3, _("Ni satisfecho ni insatisfecho")),
    (4, _("Satisfecho")),
    (5, _("Muy satisfecho")),
]


@dataclass(frozen=True)
class Question:
    code: str
    column: str
    label: Any  # lazy text, short, for results tables
    text: Any  # lazy text: what the citizen reads


OVERALL = Question(
    "overall",
    "satisfaccion_general",
    _("Satisfacción general"),
    _("En general, ¿qué tan satisfecho quedaste con la atención de hoy?"),
)

DRIVERS: list[Question] = [
    Question(
        "kind_treatment",
        "trato",
        _("Trato amable"),
        _("El trato que recibiste: amable y respetuoso."),
    ),
    Question(
        "information",
        "informacion",
        _("Información precisa, clara y oportuna"),
        _("La información que te dieron: precisa, clara y a tiempo."),
    ),
    Question(
        "times",
        "tiempos",
        _("Tiempos de espera y de trámite"),
        _("El tiempo que esperaste y el tiempo que tomó tu trámite."),
    ),
    Question(
        "as_promised",
        "cumplimiento",
        _("Cumplimiento de lo prometido"),
        _("Que se cumplieran los pasos y plazos que te indicaron."),
    ),
    Question(
        "results",
        "resultados",
        _("Resultados efectivos"),
        _("El resultado: si lograste lo que viniste a hacer."),
    ),
    Question(
        "accessibility",
        "accesibilidad",
        _("Accesibilidad"),
        _("Lo fácil que fue llegar, entrar y ser atendido, también en tu lengua."),
    ),
    Question(
        "trust",
        "confianza",
        _("Confianza"),
        _("La confianza que te da que tu trámite quedó bien hecho."),
    ),
]

DRIVER_CODES = [q.code for q in DRIVERS]
SCORE_CODES = [OVERALL.code, *DRIVER_CODES]

RECOMMEND = Question(
    "recommend",
    "recomendacion",
    _("Recomendación (NPS)"),
    _(
        "Del 0 al 10, ¿qué tan probable es que recomiendes los Centros MAC a un familiar "
        "o a un amigo?"
    ),
)


def one_line_break(text: str) -> str:
    """The text with every line break as "\\n": a browser submits a textarea's
    line breaks as "\\r\\n" while its maxlength counts them as one character."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
