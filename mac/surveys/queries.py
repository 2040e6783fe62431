"""Reads of surveys: the sums behind the figures (one aggregate query per
set of answers or per breakdown), the comments, and the open invitations of
a visit (for the citizen's status page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from mac.core.calendar import LIMA
from mac.surveys import notices
from mac.surveys.conf import conf
from mac.surveys.models import AnnualImport, AnnualResponse, Invitation, Response
from mac.surveys.noise import published
from mac.surveys.questions import DETRACTOR, PROMOTER, SCORE_CODES, TOP_TWO
from mac.surveys.stats import Summary, Sums, pairs

# The noise's namespaces (mac/surveys/noise.py): the same keys in the two
# tables never share a draw.
RESPONSES, ANNUAL = "responses", "annual"


@dataclass
class Filters:
    center: int | None = None
    entity: int | None = None
    service: int | None = None
    advisor: int | None = None
    since: dt.date | None = None  # Lima dates, inclusive
    until: dt.date | None = None


def whole_months(filters: Filters) -> Filters:
    """The filters with the period widened to whole months: `since` to the
    first day of its month, `until` to the last of its. Figures are never
    given for a few days, so that two periods a day apart are the same
    selection (ADR 0009)."""
    since, until = filters.since, filters.until
    if since is not None:
        since = since.replace(day=1)
    if until is not None:
        following = (until.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        until = following - dt.timedelta(days=1)
    return replace(filters, since=since, until=until)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LIMA)


def apply(qs: QuerySet[Any], filters: Filters, *, annual: bool = False) -> QuerySet[Any]:
    """`qs` narrowed by the filters. The annual survey has no advisor and no
    dates (its year is chosen apart)."""
    for name in ("center", "entity", "service"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{f"{name}_id": value})
    if annual:
        return qs
    if filters.advisor is not None:
        qs = qs.filter(advisor_id=filters.advisor)
    if filters.since is not None:
        qs = qs.filter(attended_at__gte=_start_of(filters.since))
    if filters.until is not None:
        qs = qs.filter(attended_at__lt=_start_of(filters.until + dt.timedelta(days=1)))
    return qs


def _pair_key(a: str, b: str) -> str:
    return f"x_{SCORE_CODES.index(a)}_{SCORE_CODES.index(b)}"


_PAIRS = {_pair_key(a, b): (a, b) for a, b in pairs()}


def _aggregates(cross: bool) -> dict[str, Any]:
    wanted = pairs() if cross else [(c, c) for c in SCORE_CODES]
    return {
        "n": Count("pk"),
        "top_two": Count("pk", filter=Q(overall__gte=TOP_TWO)),
        "nps_n": Count("recommend"),
        "promoters": Count("pk", filter=Q(recommend__gte=PROMOTER)),
        "detractors": Count("pk", filter=Q(recommend__lte=DETRACTOR)),
        "keys": Sum("noise_key"),
        **{f"t_{code}": Sum(code) for code in SCORE_CODES},
        **{_pair_key(a, b): Sum(F(a) * F(b)) for a, b in wanted},
    }


def _sums(row: dict[str, Any]) -> Sums:
    return Sums(
        n=row["n"],
        top_two=row["top_two"],
        nps_n=row["nps_n"],
        promoters=row["promoters"],
        detractors=row["detractors"],
        total={code: int(row[f"t_{code}"] or 0) for code in SCORE_CODES},
        cross={_PAIRS[key]: int(value or 0) for key, value in row.items() if key in _PAIRS},
        keys=int(row["keys"] or 0),
    )


def sums(qs: QuerySet[Any], *, cross: bool = True) -> Sums:
    """The sufficient statistics of the answers in `qs`, in one query."""
    return _sums(qs.aggregate(**_aggregates(cross)))


DIMENSIONS = {
    "center": ("center", "center__name"),
    "entity": ("entity", "entity__acronym"),
    "service": ("service", "service__plain_name"),
    "advisor": ("advisor", "advisor__username"),
}


@dataclass
class Group:
    key: Any
    label: str
    summary: Summary


def _advisor_names(ids: list[int]) -> dict[int, str]:
    from mac.accounts.models import User

    return {
        user.pk: user.get_full_name() or user.username
        for user in User.objects.filter(pk__in=[i for i in ids if i is not None])
    }


def breakdown(qs: QuerySet[Any], dimension: str, min_sample: int) -> list[Group]:
    """CSAT, NPS and means per center, entity, service, advisor or month
    (one grouped query), each group subject to the minimum sample and
    published with its own noise (the same as the group asked alone)."""
    aggregates = _aggregates(cross=False)
    if dimension == "month":
        rows = (
            qs.annotate(month=TruncMonth("attended_at", tzinfo=LIMA))
            .values("month")
            .annotate(**aggregates)
            .order_by("month")
        )
        return [
            Group(
                row["month"],
                date_format(row["month"].astimezone(LIMA), "F Y"),
                published(_sums(row), RESPONSES, min_sample),
            )
            for row in rows
        ]
    key, label = DIMENSIONS[dimension]
    grouped = list(qs.values(key, label).annotate(**aggregates).order_by(label))
    names = _advisor_names([row[key] for row in grouped]) if dimension == "advisor" else {}
    return [
        Group(
            row[key],
            names.get(row[key], "") or str(row[label] or "—"),
            published(_sums(row), RESPONSES, min_sample),
        )
        for row in grouped
    ]


@dataclass(frozen=True)
class Comment:
    """A comment as shown: its month, not its day, and not its scores, so
    that it cannot be matched with a visit to read that citizen's answers."""

    text: str
    month: dt.date  # the first day of the attention's month (Lima)
    entity: str
    service: str
    center: str


def comments(qs: QuerySet[Response], limit: int) -> list[Comment]:
    """The newest non-empty comments of answers in `qs`."""
    rows = (
        qs.exclude(comment="")
        .order_by("-attended_at", "-pk")
        .values("comment", "attended_at", "entity__acronym", "service__plain_name", "center__name")[
            :limit
        ]
    )
    return [
        Comment(
            text=row["comment"],
            month=row["attended_at"].astimezone(LIMA).date().replace(day=1),
            entity=row["entity__acronym"],
            service=row["service__plain_name"],
            center=row["center__name"] or "",
        )
        for row in rows
    ]


@dataclass
class Results:
    summary: Summary
    groups: list[Group]
    dimension: str
    comments: list[Comment]
    annual_year: int | None
    annual: Summary | None
    since: dt.date | None = None  # the period read: whole months
    until: dt.date | None = None


def results(
    responses: QuerySet[Response],
    annual: QuerySet[AnnualResponse],
    filters: Filters,
    *,
    dimension: str = "",
    annual_year: int | None = None,
    min_sample: int | None = None,
) -> Results:
    """The figures of the visible answers that match the filters, over whole
    months, with noise (mac/surveys/noise.py). Below the minimum sample
    there are no figures, no groups and no comments."""
    min_sample = conf("MIN_SAMPLE") if min_sample is None else min_sample
    filters = whole_months(filters)
    chosen = apply(responses, filters)
    summary = published(sums(chosen), RESPONSES, min_sample)
    groups = breakdown(chosen, dimension, min_sample) if dimension and summary.sufficient else []
    shown = comments(chosen, conf("COMMENTS_SHOWN")) if summary.sufficient else []
    annual_summary = None
    if annual_year is not None and filters.advisor is None:
        rows = apply(annual.filter(year=annual_year), filters, annual=True)
        annual_summary = published(sums(rows), ANNUAL, min_sample)
    return Results(
        summary,
        groups,
        dimension,
        shown,
        annual_year,
        annual_summary,
        since=filters.since,
        until=filters.until,
    )


def annual_years() -> list[int]:
    return list(AnnualImport.objects.order_by("-year").values_list("year", flat=True))


def open_survey_paths(ticket_ids: list[int], now: dt.datetime | None = None) -> dict[int, str]:
    """For each of these tickets whose attention has a survey still open
    (not answered, not expired): the survey's path."""
    now = now or timezone.now()
    if not ticket_ids:
        return {}
    rows = Invitation.objects.filter(
        attention__ticket_id__in=ticket_ids, answered_at=None, expires_at__gt=now
    ).values_list("attention__ticket_id", "token")
    return {ticket: notices.survey_path(token) for ticket, token in rows}
