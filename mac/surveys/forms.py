"""The questionnaire and the filters of the results page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mac.catalog.models import Entity
from mac.centers.models import Center
from mac.surveys import access
from mac.surveys.queries import Filters
from mac.surveys.questions import (
    COMMENT_MAX,
    DRIVERS,
    NPS_MAX,
    NPS_MIN,
    OVERALL,
    RECOMMEND,
    SCALE,
    one_line_break,
)

# The results' dates must lie within these (a date near the calendar's end,
# e.g. 9999-12-31, cannot even be turned into the next day's start).
FIRST_DATE = dt.date(2013, 1, 1)  # the annual survey runs since 2013
LAST_DATE = dt.date(2100, 12, 31)
DATE_ATTRS = {"type": "date", "min": FIRST_DATE.isoformat(), "max": LAST_DATE.isoformat()}

REQUIRED = {"required": _("Elige una respuesta."), "invalid_choice": _("Elige una respuesta.")}


class CommentField(forms.CharField):
    """A textarea's text with its line breaks as "\\n" before the length is
    checked: the browser sends "\\r\\n" but its maxlength counts one."""

    def to_python(self, value: Any) -> str:
        return one_line_break(super().to_python(value) or "")


class AnswerForm(forms.Form):
    """Overall satisfaction, the seven drivers, the recommendation, a comment.
    The action checks the values again (the API sends them without a form)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = [(str(value), label) for value, label in SCALE]
        for question in [OVERALL, *DRIVERS]:
            self.fields[question.code] = forms.ChoiceField(
                label=question.text,
                choices=scale,
                widget=forms.RadioSelect,
                error_messages=REQUIRED,
            )
        self.fields["recommend"] = forms.ChoiceField(
            label=RECOMMEND.text,
            choices=[(str(v), str(v)) for v in range(NPS_MIN, NPS_MAX + 1)],
            widget=forms.RadioSelect,
            error_messages=REQUIRED,
            help_text=_("0 es «nada probable» y 10 es «muy probable»."),
        )
        self.fields["comment"] = CommentField(
            label=_("¿Algo más que quieras contarnos? (opcional)"),
            required=False,
            max_length=COMMENT_MAX,
            widget=forms.Textarea(attrs={"rows": 4, "class": "input textarea"}),
            help_text=_(
                "No escribas tu nombre, documento ni teléfono. Si quieres presentar un reclamo, "
                "usa el Libro de Reclamaciones."
            ),
        )

    def driver_fields(self) -> list[forms.BoundField]:
        return [self[q.code] for q in DRIVERS]

    def answers(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AdvisorChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class ServiceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.plain_name} ({obj.entity.acronym})"


GROUPS = [
    ("", _("Sin desglose")),
    ("center", _("Centro MAC")),
    ("entity", _("Entidad")),
    ("service", _("Servicio")),
    ("advisor", _("Asesor")),
    ("month", _("Mes")),
]


class ResultsFilterForm(forms.Form):
    """Filters offered only within what the user may read (surveys.access)."""

    centro = forms.ModelChoiceField(
        label=_("Centro MAC"),
        queryset=Center.objects.none(),
        required=False,
        empty_label=_("Todos"),
    )
    entidad = forms.ModelChoiceField(
        label=_("Entidad"), queryset=Entity.objects.none(), required=False, empty_label=_("Todas")
    )
    servicio = ServiceChoice(
        label=_("Servicio"), queryset=None, required=False, empty_label=_("Todos")
    )
    asesor = AdvisorChoice(label=_("Asesor"), queryset=None, required=False, empty_label=_("Todos"))
    desde = forms.DateField(
        label=_("Desde"), required=False, widget=forms.DateInput(attrs=DATE_ATTRS)
    )
    hasta = forms.DateField(
        label=_("Hasta"), required=False, widget=forms.DateInput(attrs=DATE_ATTRS)
    )
    agrupar = forms.ChoiceField(label=_("Desglosar por"), choices=GROUPS, required=False)
    anual = forms.TypedChoiceField(
        label=_("Comparar con la encuesta anual"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, user: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["centro"].queryset = access.filter_centers(user).order_by("name")
        fields["entidad"].queryset = access.filter_entities(user).order_by("acronym")
        fields["servicio"].queryset = (
            access.filter_services(user).select_related("entity").order_by("plain_name")
        )
        fields["asesor"].queryset = access.filter_advisors(user).order_by(
            "first_name", "last_name", "username"
        )
        fields["anual"].choices = [("", _("No comparar"))] + [(y, str(y)) for y in years]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "select" if _is_select(field) else "input")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("desde", "hasta"):
            day = data.get(name)
            if day and not FIRST_DATE <= day <= LAST_DATE:
                # add_error also drops the date from cleaned_data
                self.add_error(
                    name,
                    _("Elija una fecha entre los años %(first)s y %(last)s.")
                    % {"first": FIRST_DATE.year, "last": LAST_DATE.year},
                )
        since, until = data.get("desde"), data.get("hasta")
        if since and until and since > until:
            self.add_error("hasta", _("La fecha final es anterior a la inicial."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data

        def pk(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return Filters(
            center=pk("centro"),
            entity=pk("entidad"),
            service=pk("servicio"),
            advisor=pk("asesor"),
            since=data.get("desde"),
            until=data.get("hasta"),
        )


def _is_select(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Select)
