"""The staff results page (/encuestas/resultados/): CSAT, NPS, the drivers'
means and weights, a breakdown, the comments, and the annual survey beside
the platform's own answers. Scoped by surveys.access: an entity supervisor
reads only their entity's answers and comments, a center coordinator only
their center's. Figures are over whole months and carry noise (ADR 0009);
comments show their month and no score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mac.surveys import access, queries
from mac.surveys.conf import conf
from mac.surveys.forms import GROUPS, ResultsFilterForm
from mac.surveys.questions import DRIVERS, OVERALL
from mac.surveys.stats import Coefficient, Estimate, Summary, regression_note


@dataclass(frozen=True)
class DriverRow:
    label: Any
    mean: Estimate | None
    coefficient: Coefficient | None


@dataclass(frozen=True)
class Comparison:
    label: Any
    unit: str  # "%", "pts" or "" (a mean on 1-5)
    platform: float | None
    annual: float | None


def percent(estimate: Estimate | None) -> Estimate | None:
    if estimate is None:
        return None
    return Estimate(100 * estimate.value, 100 * estimate.low, 100 * estimate.high)


def driver_rows(summary: Summary) -> list[DriverRow]:
    weights = {c.code: c for c in summary.regression.coefficients} if summary.regression else {}
    return [DriverRow(q.label, summary.means.get(q.code), weights.get(q.code)) for q in DRIVERS]


def comparison(platform: Summary, annual: Summary) -> list[Comparison]:
    def value(summary: Summary, pick: Any) -> float | None:
        return pick(summary) if summary.sufficient else None

    rows = [
        Comparison(
            _("CSAT"),
            "%",
            value(platform, lambda s: 100 * s.csat.value),
            value(annual, lambda s: 100 * s.csat.value),
        ),
        Comparison(
            _("NPS"),
            "pts",
            value(platform, lambda s: s.nps.value if s.nps else None),
            value(annual, lambda s: s.nps.value if s.nps else None),
        ),
    ]
    for q in [OVERALL, *DRIVERS]:
        rows.append(
            Comparison(
                q.label,
                "",
                value(platform, lambda s, code=q.code: s.means[code].value),
                value(annual, lambda s, code=q.code: s.means[code].value),
            )
        )
    return rows


@login_required
@require_safe
def results_page(request: HttpRequest) -> HttpResponse:
    if not access.can_read_results(request.user):
        raise PermissionDenied(_("Su rol no consulta resultados de encuestas."))
    years = queries.annual_years()
    form = ResultsFilterForm(request.GET, user=request.user, years=years)
    context: dict[str, Any] = {
        "form": form,
        "min_sample": conf("MIN_SAMPLE"),
        "weights_min_sample": conf("WEIGHTS_MIN_SAMPLE"),
    }
    if not form.is_valid():
        return render(request, "surveys/results.html", context, status=400)
    found = queries.results(
        access.responses_visible_to(request.user),
        access.annual_visible_to(request.user),
        form.filters(),
        dimension=form.cleaned_data.get("agrupar") or "",
        annual_year=form.cleaned_data.get("anual"),
    )
    summary = found.summary
    context.update(
        results=found,
        summary=summary,
        csat=percent(summary.csat),
        overall=summary.means.get(OVERALL.code),
        drivers=driver_rows(summary),
        regression_note=regression_note(summary),
        groups=[(group, percent(group.summary.csat)) for group in found.groups],
        dimension_label=dict(GROUPS).get(found.dimension, ""),
        comparison=comparison(summary, found.annual) if found.annual else [],
    )
    return render(request, "surveys/results.html", context)
