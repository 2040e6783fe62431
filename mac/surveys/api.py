"""Surveys API: answer a survey by its token (citizens' clients, no account)
and read results (staff session, scoped as the results page: an entity
supervisor reads only their entity's answers). Comments are not in the API:
they are free text a citizen wrote, read on the results page only. Results
are over whole months and carry the noise that keeps one citizen's answer
from being worked out by comparing two selections (ADR 0009), exactly as
the results page.

Errors are 4xx with `detail` (Spanish) and `code`: 404 unknown token, 409
already answered, 410 expired, 422 a value out of its scale."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from mac.accounts.apikeys import api_key, session_auth
from mac.core.schemas import ErrorOut, errors
from mac.surveys import access, actions, queries
from mac.surveys.errors import Forbidden, Invalid
from mac.surveys.forms import ResultsFilterForm
from mac.surveys.models import Response, ResponseChannel
from mac.surveys.questions import COMMENT_MAX, DRIVERS, OVERALL, one_line_break
from mac.surveys.stats import Estimate, Summary, regression_note

router = Router(tags=["encuestas"])

SCALE_HELP = (
    "1 muy insatisfecho, 2 insatisfecho, 3 ni satisfecho ni insatisfecho, "
    "4 satisfecho, 5 muy satisfecho"
)


def _scale(what: str) -> Any:
    return Field(..., ge=1, le=5, description=f"{what}: {SCALE_HELP}")


class AnswerIn(Schema):
    overall: int = _scale("satisfacción general")
    kind_treatment: int = _scale("trato amable")
    information: int = _scale("información precisa, clara y oportuna")
    times: int = _scale("tiempos de espera y de trámite")
    as_promised: int = _scale("cumplimiento de lo prometido")
    results: int = _scale("resultados efectivos")
    accessibility: int = _scale("accesibilidad")
    trust: int = _scale("confianza")
    recommend: int = Field(
        ..., ge=0, le=10, description="0-10: ¿recomendaría los Centros MAC? (NPS)"
    )
    comment: str = Field("", max_length=COMMENT_MAX)
    language: str = Field("es", pattern="^(es|qu)$")

    @field_validator("comment", mode="before")
    @classmethod
    def _one_line_break(cls, value: Any) -> Any:
        # "\r\n" counts as one character, as on the page (before max_length).
        return one_line_break(value) if isinstance(value, str) else value


class AnswerOut(Schema):
    answered_at: dt.datetime
    channel: str


class EstimateOut(Schema):
    value: float
    low: float = Field(description="límite inferior del intervalo de 95%")
    high: float = Field(description="límite superior del intervalo de 95%")


class DriverOut(Schema):
    code: str
    label: str
    mean: EstimateOut | None
    weight: float | None = Field(
        None, description="coeficiente de la regresión de la satisfacción general"
    )
    weight_se: float | None = Field(None, description="error estándar del coeficiente")
    weight_low: float | None = None
    weight_high: float | None = None
    weight_share: float | None = Field(
        None, description="|coeficiente| sobre la suma de los siete, de 0 a 1"
    )


DIGITS = 4  # decimals of every figure (the noise is far coarser)

NOISE_HELP = (
    "Todas las cifras se calculan con un ruido que protege el anonimato de quienes "
    "responden: las mismas respuestas dan siempre las mismas cifras, y dos consultas que "
    "difieren en una persona no permiten deducir su respuesta. Los intervalos incluyen "
    "ese ruido."
)


class SummaryOut(Schema):
    n: int | None = Field(
        description="respuestas (con ruido: unas pocas de más o de menos); "
        "null si la muestra es insuficiente"
    )
    min_sample: int = Field(description="muestra mínima para mostrar cifras")
    sufficient: bool = Field(description="falso: muestra insuficiente, sin cifras")
    csat: EstimateOut | None = Field(
        None, description="proporción de 4 y 5 en satisfacción general (0-1), intervalo de Wilson"
    )
    nps: EstimateOut | None = Field(None, description="puntos de -100 a 100")
    overall: EstimateOut | None = None
    drivers: list[DriverOut] = []
    r_squared: float | None = None
    intercept: float | None = None
    regression_note: str = ""


class ResultsOut(SummaryOut):
    since: dt.date | None = Field(
        None, description="primer día del periodo leído: los periodos son meses completos"
    )
    until: dt.date | None = Field(None, description="último día del periodo leído")
    annual_year: int | None = None
    annual: SummaryOut | None = None


class ResultsQuery(Schema):
    center: int | None = None
    entity: int | None = None
    service: int | None = None
    advisor: int | None = None
    since: dt.date | None = Field(None, description="se lee desde el primer día de su mes")
    until: dt.date | None = Field(None, description="se lee hasta el último día de su mes")
    annual_year: int | None = None


# The API's parameters and the results page's filter fields they fill.
PARAMS = {
    "center": "centro",
    "entity": "entidad",
    "service": "servicio",
    "advisor": "asesor",
    "since": "desde",
    "until": "hasta",
    "annual_year": "anual",
}

ERRORS = errors(404, 409, 410, 422)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _estimate(estimate: Estimate | None) -> dict[str, float | None] | None:
    if estimate is None:
        return None
    return {
        "value": _round(estimate.value),
        "low": _round(estimate.low),
        "high": _round(estimate.high),
    }


def _summary(summary: Summary) -> dict[str, Any]:
    out: dict[str, Any] = {
        "n": summary.n if summary.sufficient else None,
        "min_sample": summary.min_sample,
        "sufficient": summary.sufficient,
    }
    if not summary.sufficient:
        return out
    fit = summary.regression
    weights = {c.code: c for c in fit.coefficients} if fit else {}
    drivers = []
    for q in DRIVERS:
        c = weights.get(q.code)
        drivers.append(
            {
                "code": q.code,
                "label": str(q.label),
                "mean": _estimate(summary.means.get(q.code)),
                "weight": _round(c.value) if c else None,
                "weight_se": _round(c.se) if c else None,
                "weight_low": _round(c.low) if c else None,
                "weight_high": _round(c.high) if c else None,
                "weight_share": _round(c.weight) if c else None,
            }
        )
    out.update(
        csat=_estimate(summary.csat),
        nps=_estimate(summary.nps),
        overall=_estimate(summary.means.get(OVERALL.code)),
        drivers=drivers,
        r_squared=_round(fit.r_squared) if fit else None,
        intercept=_round(fit.intercept) if fit else None,
        regression_note=regression_note(summary),
    )
    return out


@router.get(
    "/surveys/results",
    auth=[api_key, session_auth],
    response={200: ResultsOut, 403: ErrorOut, 422: ErrorOut},
    summary="Resultados de las encuestas (personal; según su entidad o centro)",
    description=NOISE_HELP,
)
def read_results(request: HttpRequest, filters: Query[ResultsQuery]) -> Any:
    if not access.can_read_results(request.user):
        raise Forbidden(_("Su rol no consulta resultados de encuestas."), code="role")
    given = filters.model_dump()
    form = ResultsFilterForm(
        {field: "" if given[name] is None else str(given[name]) for name, field in PARAMS.items()},
        user=request.user,
        years=queries.annual_years(),
    )
    if not form.is_valid():
        names = {field: name for name, field in PARAMS.items()}
        problems = "; ".join(
            f"{names.get(field, field)}: {' '.join(str(e) for e in errors)}"
            for field, errors in form.errors.items()
        )
        raise Invalid(problems, code="invalid_filter")
    found = queries.results(
        access.responses_visible_to(request.user),
        access.annual_visible_to(request.user),
        form.filters(),
        annual_year=form.cleaned_data.get("anual"),
    )
    return {
        **_summary(found.summary),
        "since": found.since,
        "until": found.until,
        "annual_year": found.annual_year,
        "annual": _summary(found.annual) if found.annual else None,
    }


@router.post(
    "/surveys/{token}",
    response={201: AnswerOut, **ERRORS},
    summary="Responder la encuesta de una atención con la clave de su enlace",
)
def answer(request: HttpRequest, token: str, payload: AnswerIn) -> Any:
    response: Response = actions.answer(
        token, payload.model_dump(), channel=ResponseChannel.API, language=payload.language
    )
    return 201, response
