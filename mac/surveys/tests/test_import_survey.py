"""Importing the annual survey's CSV file (`mac import_survey FILE --year`):
a good file is stored whole; a bad one is refused with the line number and
column of every error, and nothing is imported."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from mac.core.models import AuditLog
from mac.core.testing import make_entity, make_service
from mac.surveys import actions, annual
from mac.surveys.errors import Conflict, ImportRefused, Invalid
from mac.surveys.models import AnnualImport, AnnualResponse
from mac.surveys.testing import World

pytestmark = pytest.mark.django_db

HEADER = (
    "satisfaccion_general,trato,informacion,tiempos,cumplimiento,resultados,"
    "accesibilidad,confianza,recomendacion,centro,entidad,servicio"
)


def write(tmp_path: Path, text: str, name: str = "encuesta.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def nothing_imported() -> bool:
    return not AnnualImport.objects.exists() and not AnnualResponse.objects.exists()


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_survey", str(path), *args, stdout=out)
    return out.getvalue()


class TestImportSurvey:
    def test_it_imports_a_good_file(self, world: World, tmp_path: Path) -> None:
        # given
        path = write(
            tmp_path,
            f"{HEADER}\n"
            f"5,5,4,4,5,5,4,5,10,lima-norte,RENIEC,{world.dni.code}\n"
            "4,4,4,3,4,4,4,4,,arequipa,sunat,\n"
            "2,3,2,1,2,2,3,2,3,,,\n"
            "\n",
        )

        # when
        out = run(path, "--year", "2025")

        # then
        assert out == "Encuesta anual 2025: 3 respuestas importadas de encuesta.csv.\n"
        batch = AnnualImport.objects.get()
        assert (batch.year, batch.rows, batch.filename) == (2025, 3, "encuesta.csv")
        stored = list(
            AnnualResponse.objects.order_by("line").values_list(
                "line", "overall", "trust", "recommend", "center", "entity", "service"
            )
        )
        p = world.personas
        assert stored == [
            (2, 5, 5, 10, p.lima_norte.pk, p.reniec.pk, world.dni.pk),
            (3, 4, 4, None, p.arequipa.pk, p.sunat.pk, None),
            (4, 2, 2, 3, None, None, None),
        ]
        assert AuditLog.objects.filter(action="surveys.annual.imported").count() == 1

    def test_it_reads_semicolons_and_a_byte_order_mark(self, world: World) -> None:
        data = ("\ufeff" + HEADER.replace(",", ";") + "\n5;5;5;5;5;5;5;5;9;;;\n").encode()

        rows = annual.read(data)

        assert [(r.line, r.scores["overall"], r.recommend) for r in rows] == [(2, 5, 9)]

    def test_it_refuses_a_bad_file_with_line_numbers(self, world: World, tmp_path: Path) -> None:
        # given: errors on lines 3, 4 and 6 (line 1 is the header)
        path = write(
            tmp_path,
            f"{HEADER}\n"
            "5,5,4,4,5,5,4,5,10,lima-norte,RENIEC,\n"
            "6,5,4,4,5,5,4,5,10,,,\n"
            "5,5,4,4,5,5,4,5,11,cusco,,\n"
            "4,4,4,4,4,4,4,4,8,,,\n"
            "4,4,4,4\n",
        )

        # when
        with pytest.raises(CommandError) as refused:
            run(path, "--year", "2025")

        # then
        assert str(refused.value).splitlines() == [
            "El archivo no se importó.",
            "Línea 3, columna «satisfaccion_general»: «6» no es un número del 1 al 5.",
            "Línea 4, columna «recomendacion»: «11» no es un número del 0 al 10.",
            "Línea 4, columna «centro»: no existe el centro «cusco».",
            "Línea 6: tiene 4 valores y el encabezado 12.",
        ]
        assert nothing_imported()

    def test_it_refuses_digits_that_are_not_ascii(self, world: World, tmp_path: Path) -> None:
        # given: a superscript two and a full-width seven, which str.isdigit takes
        path = write(tmp_path, f"{HEADER}\n²,5,4,4,5,5,4,5,７,,,\n")

        # when
        with pytest.raises(CommandError) as refused:
            run(path, "--year", "2025")

        # then
        assert str(refused.value).splitlines() == [
            "El archivo no se importó.",
            "Línea 2, columna «satisfaccion_general»: «²» no es un número del 1 al 5.",
            "Línea 2, columna «recomendacion»: «７» no es un número del 0 al 10.",
        ]
        assert nothing_imported()

    @pytest.mark.parametrize(
        ("case", "header", "error"),
        [
            (
                "a missing column",
                HEADER.replace("confianza,", ""),
                "Línea 1: falta la columna «confianza».",
            ),
            (
                "a misspelt column",
                HEADER.replace("tiempos", "tiempo"),
                "Línea 1: columna desconocida «tiempo».",
            ),
        ],
    )
    def test_it_refuses_a_bad_header(
        self, world: World, case: str, header: str, error: str
    ) -> None:
        with pytest.raises(ImportRefused) as refused:
            annual.read(f"{header}\n5,5,5,5,5,5,5,5,9,,,\n".encode())

        assert error in refused.value.errors
        assert nothing_imported()

    def test_it_refuses_a_service_of_another_entity(self, world: World) -> None:
        data = f"{HEADER}\n5,5,5,5,5,5,5,5,9,,SUNAT,{world.dni.code}\n".encode()

        with pytest.raises(ImportRefused) as refused:
            annual.read(data)

        assert refused.value.errors == [
            "Línea 2, columna «servicio»: el servicio no es de la entidad de esa línea."
        ]

    def test_it_refuses_a_file_that_is_not_utf8(self, world: World) -> None:
        with pytest.raises(ImportRefused) as refused:
            annual.read(f"{HEADER}\n".encode("utf-16"))

        assert refused.value.errors == ["El archivo no está en UTF-8: guárdelo como «CSV UTF-8»."]

    def test_it_refuses_a_file_without_answers(self, world: World) -> None:
        with pytest.raises(ImportRefused) as refused:
            annual.read(f"{HEADER}\n\n".encode())

        assert refused.value.errors == ["El archivo no tiene respuestas."]

    def test_it_replaces_a_year_only_when_asked(self, world: World, tmp_path: Path) -> None:
        first = write(tmp_path, f"{HEADER}\n5,5,5,5,5,5,5,5,9,,,\n", "a.csv")
        second = write(tmp_path, f"{HEADER}\n1,1,1,1,1,1,1,1,0,,,\n2,2,2,2,2,2,2,2,1,,,\n", "b.csv")
        run(first, "--year", "2024")

        with pytest.raises(CommandError, match="ya fue importada"):
            run(second, "--year", "2024")
        assert list(AnnualResponse.objects.values_list("overall", flat=True)) == [5]

        run(second, "--year", "2024", "--replace")
        assert sorted(AnnualResponse.objects.values_list("overall", flat=True)) == [1, 2]
        assert AnnualImport.objects.get().filename == "b.csv"

    @pytest.mark.parametrize("year", [2012, 2027])
    def test_it_refuses_a_year_out_of_range(self, world: World, year: int) -> None:
        rows = annual.read(f"{HEADER}\n5,5,5,5,5,5,5,5,9,,,\n".encode())

        with pytest.raises(Invalid, match="entre 2013 y 2026"):
            actions.import_annual(rows, year=year, filename="x.csv")
        assert nothing_imported()

    def test_the_action_refuses_a_year_twice(self, world: World) -> None:
        rows = annual.read(f"{HEADER}\n5,5,5,5,5,5,5,5,9,,,\n".encode())
        actions.import_annual(rows, year=2025, filename="x.csv")

        with pytest.raises(Conflict):
            actions.import_annual(rows, year=2025, filename="x.csv")
        assert AnnualResponse.objects.count() == 1

    def test_it_says_when_the_file_cannot_be_read(self, world: World, tmp_path: Path) -> None:
        with pytest.raises(CommandError, match="No se pudo leer"):
            run(tmp_path / "no-existe.csv", "--year", "2025")

    def test_the_command_is_documented(self, capsys: Any) -> None:
        with pytest.raises(SystemExit):
            call_command("import_survey", "--help")
        assert "--replace" in capsys.readouterr().out


class TestNamesInAnyCase:
    """Entities, services and centers are matched without regard to case on
    both sides: an entity stored as "EsSalud" (DOMAIN.md's spelling) is found
    however the file writes it, and so are its services' codes."""

    @pytest.mark.parametrize("written", ["EsSalud", "ESSALUD", "essalud", " essalud "])
    def test_it_finds_an_entity_written_in_any_case(self, world: World, written: str) -> None:
        essalud = make_entity("EsSalud", name="Seguro Social de Salud")
        data = f"{HEADER}\n5,5,5,5,5,5,5,5,9,,{written},\n".encode()

        rows = annual.read(data)

        assert [(r.line, r.entity_id, r.service_id) for r in rows] == [(2, essalud.pk, None)]

    def test_it_finds_a_service_and_a_center_written_in_any_case(self, world: World) -> None:
        essalud = make_entity("EsSalud", name="Seguro Social de Salud")
        service = make_service(essalud, "Acreditación de asegurados")
        assert service.code.startswith("EsSalud-")
        data = (
            f"{HEADER}\n5,5,5,5,5,5,5,5,9,LIMA-NORTE,essalud,{service.code.upper()}\n"
            f"4,4,4,4,4,4,4,4,,,,{service.code.lower()}\n"
        ).encode()

        rows = annual.read(data)

        center = world.personas.lima_norte.pk
        assert [(r.center_id, r.entity_id, r.service_id) for r in rows] == [
            (center, essalud.pk, service.pk),
            (None, essalud.pk, service.pk),
        ]

    def test_it_refuses_a_name_that_two_entities_share_but_for_case(self, world: World) -> None:
        exact = make_entity("EsSalud", name="Seguro Social de Salud")
        make_entity("ESSALUD", name="Otra", slug="essalud-2")
        line = "5,5,5,5,5,5,5,5,9,,{},"

        spelt = annual.read(f"{HEADER}\n{line.format('EsSalud')}\n".encode())
        with pytest.raises(ImportRefused) as refused:
            annual.read(f"{HEADER}\n{line.format('EsSalud')}\n{line.format('essalud')}\n".encode())

        assert [r.entity_id for r in spelt] == [exact.pk]  # the exact spelling wins
        assert refused.value.errors == [
            "Línea 3, columna «entidad»: «essalud» es ambiguo: "
            "hay varios que solo difieren en mayúsculas."
        ]
        assert nothing_imported()


class TestStrayQuote:
    """A stray double quote makes the csv module read the rest of the file as
    one field; past its limit (131072 characters) that was a traceback. The
    file is refused like any other, with the line where that record starts."""

    def test_the_command_refuses_it_with_the_line(self, world: World, tmp_path: Path) -> None:
        lines = ["5,4,4,4,4,4,4,4,9,,,\n"] * 20000
        lines[10] = '5,4,4,4,4,4,4,"4,9,,,\n'  # line 12: its quote never closes
        path = write(tmp_path, f"{HEADER}\n" + "".join(lines))

        with pytest.raises(CommandError) as refused:
            run(path, "--year", "2025")

        assert str(refused.value) == (
            "El archivo no se importó.\n"
            'Línea 12: no se puede leer desde aquí; revise que cada comilla (") '
            "de esa línea esté cerrada."
        )
        assert nothing_imported()

    def test_it_names_the_header_when_the_quote_is_there(self, world: World) -> None:
        data = f'"{HEADER}\n' + "5,4,4,4,4,4,4,4,9,,,\n" * 20000

        with pytest.raises(ImportRefused) as refused:
            annual.read(data.encode())

        assert refused.value.errors == [
            'Línea 1: no se puede leer desde aquí; revise que cada comilla (") '
            "de esa línea esté cerrada."
        ]
        assert nothing_imported()
