"""Reading the annual satisfaction survey's CSV file.

The file (UTF-8, with or without BOM; comma or semicolon separated) has a
header line and one line per answer. Columns, in any order:

| column                | required | values                                      |
| --------------------- | -------- | ------------------------------------------- |
| satisfaccion_general  | yes      | 1-5 (1 muy insatisfecho ... 5 muy satisfecho) |
| trato                 | yes      | 1-5: trato amable                           |
| informacion           | yes      | 1-5: información precisa, clara y oportuna  |
| tiempos               | yes      | 1-5: tiempos de espera y de trámite         |
| cumplimiento          | yes      | 1-5: pasos cumplidos según lo prometido     |
| resultados            | yes      | 1-5: resultados efectivos                   |
| accesibilidad         | yes      | 1-5: accesibilidad                          |
| confianza             | yes      | 1-5: confianza                              |
| recomendacion         | no       | 0-10, or empty                              |
| centro                | no       | slug of the Centro MAC (e.g. lima-norte)    |
| entidad               | no       | acronym of the entity (e.g. RENIEC)         |
| servicio              | no       | code of the service (e.g. RENIEC-0001)      |

Every line is checked; a file with any error is refused as a whole, with the
line number and column of each error (line 1 is the header), and nothing is
imported. Unknown columns are errors too (a misspelt column must not be
silently dropped)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext as _

from mac.core.params import parse_int
from mac.surveys.errors import ImportRefused
from mac.surveys.questions import DRIVERS, NPS_MAX, NPS_MIN, OVERALL, SCALE_MAX, SCALE_MIN

SCORE_COLUMNS = {q.column: q.code for q in [OVERALL, *DRIVERS]}
OPTIONAL_COLUMNS = ("recomendacion", "centro", "entidad", "servicio")
MAX_ERRORS_SHOWN = 50

T = TypeVar("T")
V = TypeVar("V")


@dataclass
class AnnualRow:
    line: int
    scores: dict[str, int]
    recommend: int | None = None
    center_id: int | None = None
    entity_id: int | None = None
    service_id: int | None = None


class _Names(Generic[V]):
    """Catalog values by name, matched without regard to case on both sides
    (an entity may be stored as "EsSalud" and written "ESSALUD"): the exact
    spelling first, then the only name that differs in case alone."""

    def __init__(self, items: Iterable[tuple[str, V]]) -> None:
        self.exact: dict[str, V] = {}
        self.folded: dict[str, list[V]] = {}
        for name, value in items:
            self.exact[name] = value
            self.folded.setdefault(name.upper(), []).append(value)

    def get(self, name: str) -> V | None:
        """The value of `name`; None when unknown. Raises LookupError when
        several names differ from it in case alone."""
        if name in self.exact:
            return self.exact[name]
        found = self.folded.get(name.upper(), [])
        if len(found) > 1:
            raise LookupError(name)
        return found[0] if found else None


@dataclass
class _Lookups:
    centers: _Names[int]
    entities: _Names[int]
    services: _Names[tuple[int, int]]  # code → (id, entity)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("El archivo no se importó."),
            errors=[_("El archivo no está en UTF-8: guárdelo como «CSV UTF-8».")],
        ) from None


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _lookups() -> _Lookups:
    # The whole catalog (hundreds of centers and entities, thousands of
    # services at most, once per import): compared in Python, as the
    # databases' UPPER() differ beyond ASCII.
    from mac.catalog.models import Entity, Service
    from mac.centers.models import Center

    return _Lookups(
        centers=_Names(Center.objects.values_list("slug", "pk")),
        entities=_Names(Entity.objects.values_list("acronym", "pk")),
        services=_Names(
            (code, (pk, entity))
            for code, pk, entity in Service.objects.values_list("code", "pk", "entity_id")
        ),
    )


def _row(
    line: int, raw: dict[str, str], lookups: _Lookups, errors: list[tuple[int, str]]
) -> AnnualRow:
    def error(column: str, message: str) -> None:
        errors.append(
            (
                line,
                _("Línea %(line)s, columna «%(column)s»: %(message)s")
                % {"line": line, "column": column, "message": message},
            )
        )

    scores: dict[str, int] = {}
    for column, code in SCORE_COLUMNS.items():
        number = parse_int(raw.get(column, ""), SCALE_MIN, SCALE_MAX)
        if number is None:
            error(column, _("«%(value)s» no es un número del 1 al 5.") % {"value": raw[column]})
        else:
            scores[code] = number
    row = AnnualRow(line=line, scores=scores)
    if raw.get("recomendacion", "").strip():
        row.recommend = parse_int(raw["recomendacion"], NPS_MIN, NPS_MAX)
        if row.recommend is None:
            error(
                "recomendacion",
                _("«%(value)s» no es un número del 0 al 10.") % {"value": raw["recomendacion"]},
            )

    def find(names: _Names[T], column: str, missing: str) -> T | None:
        written = raw.get(column, "")
        if not written.strip():
            return None
        try:
            found = names.get(written.strip())
        except LookupError:
            error(
                column,
                _("«%(value)s» es ambiguo: hay varios que solo difieren en mayúsculas.")
                % {"value": written},
            )
            return None
        if found is None:
            error(column, missing % {"value": written})
        return found

    row.center_id = find(lookups.centers, "centro", _("no existe el centro «%(value)s»."))
    row.entity_id = find(lookups.entities, "entidad", _("no existe la entidad «%(value)s»."))
    service = find(lookups.services, "servicio", _("no existe el servicio «%(value)s»."))
    if service is not None:
        if row.entity_id is not None and service[1] != row.entity_id:
            error("servicio", _("el servicio no es de la entidad de esa línea."))
        else:
            row.service_id, row.entity_id = service
    return row


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """The reader's records, each with its (last) line number. One the csv
    module cannot read (a stray double quote makes the rest of the file one
    huge field) refuses the file, naming the line where that record starts."""
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ImportRefused(
                _("El archivo no se importó."),
                errors=[
                    _(
                        'Línea %(line)s: no se puede leer desde aquí; revise que cada comilla (") '
                        "de esa línea esté cerrada."
                    )
                    % {"line": start}
                ],
            ) from None
        yield reader.line_num, values


def read(data: bytes) -> list[AnnualRow]:
    """The rows of the file, or ImportRefused listing every error."""
    text = _decode(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    header = [name.strip().lower() for name in next(_records(reader), (1, []))[1]]
    errors: list[str] = []
    known = set(SCORE_COLUMNS) | set(OPTIONAL_COLUMNS)
    for name in header:
        if name not in known:
            errors.append(_("Línea 1: columna desconocida «%(column)s».") % {"column": name})
    for name in sorted({n for n in header if header.count(n) > 1}):
        errors.append(_("Línea 1: la columna «%(column)s» está repetida.") % {"column": name})
    for name in SCORE_COLUMNS:
        if name not in header:
            errors.append(_("Línea 1: falta la columna «%(column)s».") % {"column": name})
    if errors:
        raise ImportRefused(_("El archivo no se importó."), errors=errors)

    raws: list[tuple[int, dict[str, str]]] = []
    found: list[tuple[int, str]] = []
    for line, values in _records(reader):
        if not any(v.strip() for v in values):
            continue  # blank lines (a trailing newline of a spreadsheet)
        if len(values) != len(header):
            found.append(
                (
                    line,
                    _("Línea %(line)s: tiene %(found)s valores y el encabezado %(expected)s.")
                    % {"line": line, "found": len(values), "expected": len(header)},
                )
            )
            continue
        raws.append((line, dict(zip(header, values, strict=True))))
    lookups = _lookups()
    rows = [_row(line, raw, lookups, found) for line, raw in raws]
    errors = [message for _line, message in sorted(found, key=lambda e: e[0])]
    if not rows and not errors:
        errors.append(_("El archivo no tiene respuestas."))
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(_("… y %(n)s errores más.") % {"n": len(errors) - MAX_ERRORS_SHOWN})
        raise ImportRefused(_("El archivo no se importó."), errors=shown)
    return rows
