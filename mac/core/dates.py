"""Dates and times written out for citizens, in Lima time and in their
language ("es" or "qu").

Django has no Quechua locale: `date_format` under "qu" falls back to Spanish
names and the Spanish "de". Quechua texts take the day and month names from
the project's catalogue (mac/locale/qu) and put no "de" between the parts:
"Illapachaw 3 Qhapaq raymi killa 2026, 09:30"."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mac.core.calendar import to_lima

# Monday first, as date.weekday(); the capitalised names the catalogue has.
WEEKDAYS = [
    gettext_noop("Lunes"),
    gettext_noop("Martes"),
    gettext_noop("Miércoles"),
    gettext_noop("Jueves"),
    gettext_noop("Viernes"),
    gettext_noop("Sábado"),
    gettext_noop("Domingo"),
]
MONTHS = [
    gettext_noop("enero"),
    gettext_noop("febrero"),
    gettext_noop("marzo"),
    gettext_noop("abril"),
    gettext_noop("mayo"),
    gettext_noop("junio"),
    gettext_noop("julio"),
    gettext_noop("agosto"),
    gettext_noop("septiembre"),
    gettext_noop("octubre"),
    gettext_noop("noviembre"),
    gettext_noop("diciembre"),
]


def spelled(
    value: dt.datetime | dt.date, language: str = "es", *, weekday: bool = False, year: bool = True
) -> str:
    """A date ("3 de diciembre de 2026"), or a moment in Lima time with its
    hour ("3 de diciembre de 2026, 09:30"); with the weekday first ("jueves
    3 de ...") or without the year ("3 de diciembre") when asked."""
    moment = to_lima(value) if isinstance(value, dt.datetime) else None
    day = moment or value
    if language == "qu":
        with translation.override("qu"):
            parts = [_(WEEKDAYS[day.weekday()])] if weekday else []
            parts.append(f"{day.day} {_(MONTHS[day.month - 1])}")
        text = " ".join(parts + ([str(day.year)] if year else []))
    else:
        pattern = ("l " if weekday else "") + "j \\d\\e F" + (" \\d\\e Y" if year else "")
        with translation.override(language):
            text = date_format(day, pattern)
    return text + moment.strftime(", %H:%M") if moment else text


def page_language() -> str:
    """The language of the page being rendered, as `spelled` takes it: "qu"
    on a Quechua page, else "es"."""
    return "qu" if (translation.get_language() or "").startswith("qu") else "es"


def spelled_here(value: dt.datetime | dt.date, *, weekday: bool = False, year: bool = True) -> str:
    """`spelled` in the language of the page being rendered: a date inside a
    translated sentence must not stay Spanish on a Quechua page."""
    return spelled(value, page_language(), weekday=weekday, year=year)


def whole_hours(minutes: int) -> int | None:
    """A duration of `minutes` in hours when it is a whole number of them
    (120: 2), else None. A citizen reads "2 horas", not "120 minutos"; each
    text then has one message in hours and one in minutes, not a duration
    pasted into a sentence: Quechua binds its suffixes to the unit
    ("2 horayki", "90 minutoyki")."""
    if minutes <= 0 or minutes % 60:
        return None
    return minutes // 60
