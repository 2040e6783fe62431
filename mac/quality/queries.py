"""Reads of the complaints book worth naming: the staff list with its
filters and deadline colours, the reports and the CSV export. Every one
starts from the access helper's queryset (mac.quality.access)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from mac.core.calendar import LIMA, add_business_days, declared_non_working_days, to_lima
from mac.core.params import parse_id, parse_int
from mac.quality import deadlines
from mac.quality.conf import conf
from mac.quality.models import Channel, Complaint

TERMS = {"overdue", "soon"}


@dataclass
class Filters:
    status: str = ""
    entity: int | None = None
    center: int | None = None
    category: str = ""
    channel: str = ""
    term: str = ""
    code: str = ""
    year: int | None = None


def parse_filters(params: Mapping[str, str]) -> Filters:
    """Filters from a query string; unknown values are ignored."""
    status = params.get("estado", "")
    category = params.get("motivo", "")
    channel = params.get("canal", "")
    term = params.get("plazo", "")
    return Filters(
        status=status if status in Complaint.Status.values else "",
        entity=parse_id(params.get("entidad")),
        center=parse_id(params.get("centro")),
        category=category if category in Complaint.Category.values else "",
        channel=channel if channel in Channel.values else "",
        term=term if term in TERMS else "",
        code="".join(params.get("codigo", "").replace("\x00", "").split()).upper()[:40],
        year=parse_int(params.get("anio"), 1, 9999),
    )


def filtered(qs: QuerySet[Complaint], filters: Filters, today: dt.date) -> QuerySet[Complaint]:
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.entity:
        qs = qs.filter(entity_id=filters.entity)
    if filters.center:
        qs = qs.filter(center_id=filters.center)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.code:
        qs = qs.filter(code__contains=filters.code)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.term == "overdue":
        qs = qs.filter(status__in=Complaint.OPEN_STATUSES, due_date__lt=today)
    elif filters.term == "soon":
        horizon = add_business_days(today, conf("ALERT_BUSINESS_DAYS_BEFORE"))
        qs = qs.filter(
            status__in=Complaint.OPEN_STATUSES, due_date__gte=today, due_date__lte=horizon
        )
    return qs


@dataclass
class Row:
    complaint: Complaint
    urgency: deadlines.Urgency


def with_urgency(complaints: list[Complaint], today: dt.date) -> list[Row]:
    if not complaints:
        return []
    dates = [c.due_date for c in complaints] + [today]
    declared = declared_non_working_days(min(dates), max(dates))
    return [
        Row(c, deadlines.urgency(today, c.due_date, is_open=c.is_open, declared=declared))
        for c in complaints
    ]


# -- Reports ------------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0

    @property
    def due(self) -> int:
        """Claims whose deadline has come: answered, or open past it."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class Report:
    total: Line
    by: dict[str, list[Line]] = field(default_factory=dict)


DIMENSIONS = {
    "entity": ("entity__acronym", gettext_lazy("Por entidad")),
    "center": ("center__name", gettext_lazy("Por Centro MAC")),
    "channel": ("channel", gettext_lazy("Por canal")),
    "category": ("category", gettext_lazy("Por motivo")),
}


def _counts(today: dt.date) -> dict[str, Any]:
    # "answered_on" is the Lima date of the answer, annotated by `report`.
    return {
        "total": Count("pk"),
        "on_time": Count("pk", filter=Q(answered_at__isnull=False, answered_on__lte=F("due_date"))),
        "late": Count("pk", filter=Q(answered_at__isnull=False, answered_on__gt=F("due_date"))),
        "overdue": Count("pk", filter=Q(answered_at__isnull=True, due_date__lt=today)),
        "pending": Count("pk", filter=Q(answered_at__isnull=True, due_date__gte=today)),
    }


def report(qs: QuerySet[Complaint], today: dt.date) -> Report:
    """Claims by entity, center, channel and motive, with how many were
    answered on time, late, or are overdue."""
    base = qs.annotate(answered_on=TruncDate("answered_at", tzinfo=LIMA))
    counts = _counts(today)
    total = Line(_("Total"), **base.aggregate(**counts))
    labels = {
        "channel": dict(Channel.choices),
        "category": dict(Complaint.Category.choices),
    }
    result = Report(total=total)
    for name, (column, _title) in DIMENSIONS.items():
        lines, without = [], []
        for values in base.values(column).annotate(**counts).order_by(column):
            key = values.pop(column)
            if key is None:  # no center: another channel; last on every database
                without.append(Line(_("Sin centro (otro canal)"), **values))
            else:
                lines.append(Line(str(labels.get(name, {}).get(key, key)), **values))
        result.by[name] = lines + without
    return result


def dimension_titles() -> dict[str, str]:
    return {name: str(title) for name, (_column, title) in DIMENSIONS.items()}


# -- CSV export ----------------------------------------------------------------------------

EXPORT_HEADER = [
    "codigo",
    "entidad",
    "centro",
    "canal",
    "motivo",
    "estado",
    "fecha_hora_reclamo",
    "fecha_limite",
    "fecha_respuesta",
    "respondido_a_tiempo",
    "nombres_apellidos",
    "tipo_documento",
    "numero_documento",
    "correo",
    "telefono",
    "ubigeo",
]


def _safe(value: Any) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_rows(complaints: list[Complaint]) -> Iterator[list[str]]:
    """The export's rows for staff who open it in a spreadsheet: the coded
    columns (canal, motivo, estado, tipo_documento, respondido_a_tiempo) in
    their Spanish labels, whatever the language of the page, since the file
    is kept and passed on. What a program may read stays as it was: the
    header, the order of the columns, the code, the entity's acronym, dates
    as ISO 8601 in Lima time, document numbers and the ubigeo (INEI) code
    (docs/architecture.md, "The complaints export")."""
    yield EXPORT_HEADER
    for c in complaints:
        with override("es"):
            row = _export_row(c)
        yield [_safe(v) for v in row]


def _export_row(c: Complaint) -> list[Any]:
    answered_on = to_lima(c.answered_at).date() if c.answered_at else None
    on_time = "" if answered_on is None else (_("Sí") if answered_on <= c.due_date else _("No"))
    return [
        c.code,
        c.entity.acronym,
        c.center.name if c.center else "",
        c.get_channel_display(),
        c.get_category_display(),
        c.get_status_display(),
        to_lima(c.filed_at).strftime("%Y-%m-%d %H:%M"),
        c.due_date.isoformat(),
        to_lima(c.answered_at).strftime("%Y-%m-%d %H:%M") if c.answered_at else "",
        on_time,
        c.full_name,
        c.get_document_type_display(),
        c.document_number,
        c.email,
        c.phone,
        c.district_id,
    ]
