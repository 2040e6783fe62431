import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mac.catalog import actions
from mac.catalog.models import Category, Offer, Service, ServiceChannel, Synonym
from mac.catalog.search import edit_distance, fold, rank, search_services, stem, tokens
from mac.centers.models import Center
from mac.core.events import publish_on_commit
from mac.core.testing import make_center, make_entity, make_service


class TestFolding:
    def test_it_removes_accents_case_and_punctuation(self) -> None:
        assert fold("  Inscripción ÚNICA, ¿Año? ñandú-RUC ") == "inscripcion unica ano nandu ruc"

    def test_it_strips_control_characters(self) -> None:
        assert fold("dni\x00\x07duplicado") == "dni duplicado"

    def test_it_strips_spanish_plurals_alike(self) -> None:
        assert [stem(w) for w in ["licencias", "pensiones", "policiales", "actas", "dni"]] == [
            "licencia",
            "pension",
            "policial",
            "acta",
            "dni",
        ]

    def test_it_strips_the_plural_of_words_in_je_alike(self) -> None:
        # viaje/viajes, pasaje/pasajes, canje/canjes: the plural adds -s, not -es
        words = ["viaje", "viajes", "pasaje", "pasajes", "canje", "canjes"]
        assert [stem(w) for w in words] == [
            "viaje",
            "viaje",
            "pasaje",
            "pasaje",
            "canje",
            "canje",
        ]

    @pytest.mark.parametrize(
        "forms",
        [
            ("país", "pais", "países", "paises"),
            ("mes", "meses"),
            ("ley", "leyes", "Leyes"),
            ("rey", "reyes"),
            ("bus", "buses"),
            ("interés", "intereses"),
            ("nombre", "nombres"),
            ("padre", "padres"),
            ("inmueble", "inmuebles"),
            ("índice", "índices"),
            ("luz", "luces"),
            ("cese", "ceses"),
            ("sede", "sedes"),
            ("clase", "clases"),
            ("viaje", "viajes"),
            ("cine", "cines"),
            # three-letter singulars whose plural adds -es
            ("red", "redes"),
            ("gas", "gases"),
            ("sol", "soles"),
            ("mar", "mares"),
            ("pan", "panes"),
            ("fin", "fines"),
            ("mil", "miles"),
            ("par", "pares"),
            ("bar", "bares"),
            ("mal", "males"),
            ("pez", "peces"),
            ("voz", "voces"),
            ("vez", "veces"),
            ("res", "reses"),
            ("tos", "toses"),
        ],
        ids=lambda forms: forms[0],
    )
    def test_a_singular_and_its_plural_meet(self, forms: tuple[str, ...]) -> None:
        assert len({stem(fold(w)) for w in forms}) == 1

    @pytest.mark.parametrize(
        "words",
        [
            ("mes", "mesa"),
            ("meses", "mesas"),
            ("ley", "leer"),
            ("pais", "paisaje"),
            ("sal", "sale"),
            ("sed", "sede"),
            ("caso", "casa"),
            ("base", "bus"),
            ("red", "res", "rede"),
            ("redes", "reses"),
            ("ves", "vez"),
            ("gas", "gasa", "base"),
            ("gases", "gasas", "bases", "fases"),
            ("sol", "sola"),
            ("soles", "solas"),
            ("par", "para"),
            ("fines", "finas"),
            ("sal", "sales", "sede"),
            ("sed", "sedes"),
        ],
        ids=lambda words: "-".join(words),
    )
    def test_unrelated_words_stay_apart(self, words: tuple[str, ...]) -> None:
        assert len({stem(fold(w)) for w in words}) == len(words)

    def test_it_drops_stopwords_of_requests(self) -> None:
        assert tokens("Quiero sacar mi DNI para viajar") == ["dni", "viajar"]

    def test_it_measures_transpositions_as_one_edit(self) -> None:
        assert edit_distance("licnecia", "licencia", 2) == 1
        assert edit_distance("pasaprote", "pasaporte", 2) == 1
        assert edit_distance("pasportee", "pasaporte", 2) == 2
        assert edit_distance("abc", "xyzabc", 2) == 3


@pytest.fixture
def catalog(db: None) -> dict[str, object]:
    reniec = make_entity("RENIEC")
    mtc = make_entity("MTC", name="Ministerio de Transportes y Comunicaciones")
    migraciones = make_entity("MIGRACIONES", name="Superintendencia Nacional de Migraciones")
    norte = make_center("lima-norte")
    sur = make_center("lima-sur", district="150142")
    return {
        "dni": make_service(
            reniec,
            "Duplicado del Documento Nacional de Identidad",
            plain_name="Duplicado de DNI",
            keywords="dni, perdí mi dni, documento de identidad",
            centers=[norte, sur],
        ),
        "acta": make_service(
            reniec,
            "Expedición de copia certificada de acta de nacimiento",
            plain_name="Copia certificada de acta de nacimiento",
            centers=[norte],
            channels=["center", "online"],
        ),
        "licencia": make_service(
            mtc,
            "Emisión o duplicado de licencia de conducir clase A",
            plain_name="Licencia de conducir",
            keywords="licencia, manejar",
            centers=[sur],
            fee=Decimal("6.80"),
        ),
        "pasaporte": make_service(
            migraciones,
            "Emisión de pasaporte electrónico",
            plain_name="Pasaporte electrónico",
            centers=[norte, sur],
            channels=["center", "phone"],
        ),
    }


def names(
    query: str, *, entity: str | None = None, center: str | None = None, channel: str | None = None
) -> list[str]:
    return [
        s.plain_name for s in search_services(query, entity=entity, center=center, channel=channel)
    ]


class TestSearch:
    def test_it_ignores_accents_and_case(self, catalog: dict[str, object]) -> None:
        assert names("PASAPORTE ELECTRONICO")[0] == "Pasaporte electrónico"
        assert names("expedición")[0] == "Copia certificada de acta de nacimiento"

    def test_it_tolerates_typos(self, catalog: dict[str, object]) -> None:
        assert names("pasaprote")[0] == "Pasaporte electrónico"
        assert names("lisencia de conducir")[0] == "Licencia de conducir"
        assert names("duplicdo dni")[0] == "Duplicado de DNI"

    def test_it_completes_unfinished_words(self, catalog: dict[str, object]) -> None:
        assert names("pasapor")[0] == "Pasaporte electrónico"

    def test_it_expands_synonyms(self, catalog: dict[str, object]) -> None:
        Synonym.objects.create(term="brevete", expansion="licencia de conducir")
        Synonym.objects.create(term="partida de nacimiento", expansion="acta de nacimiento")
        assert names("brevete")[0] == "Licencia de conducir"
        assert names("partida de nacimiento")[0] == "Copia certificada de acta de nacimiento"

    def test_it_understands_requests_in_plain_words(self, catalog: dict[str, object]) -> None:
        assert names("quiero sacar mi dni")[0] == "Duplicado de DNI"

    def test_it_filters_by_entity_center_and_channel(self, catalog: dict[str, object]) -> None:
        assert names("", entity="RENIEC") == [
            "Copia certificada de acta de nacimiento",
            "Duplicado de DNI",
        ]
        assert names("", center="lima-norte") == [
            "Copia certificada de acta de nacimiento",
            "Duplicado de DNI",
            "Pasaporte electrónico",
        ]
        assert names("", channel="phone") == ["Pasaporte electrónico"]
        assert names("licencia", center="lima-norte") == []

    def test_it_finds_the_singular_and_the_plural_of_viaje(
        self, catalog: dict[str, object]
    ) -> None:
        # Given one service that says "viaje" and two that say "viajes"
        migraciones = make_entity("MIGRACIONES")
        make_service(migraciones, "Permiso de viaje de menores", plain_name="Permiso de viaje")
        make_service(
            migraciones,
            "Certificado de movimiento migratorio",
            plain_name="Certificado de mis viajes",
        )
        make_service(
            migraciones, "Declaración de viajeros", plain_name="Declarar dinero en mis viajes"
        )

        # When a citizen types either form, then all three are found
        expected = [
            "Certificado de mis viajes",
            "Declarar dinero en mis viajes",
            "Permiso de viaje",
        ]
        assert sorted(names("viajes")) == expected
        assert sorted(names("viaje")) == expected

    @pytest.mark.parametrize(
        ("singular", "plural", "service"),
        [
            ("país", "países", "Certificado de viajes por países"),
            ("pais", "paises", "Certificado de viajes por países"),
            ("mes", "meses", "Constancia de aportes del último mes"),
            ("ley", "leyes", "Copia de leyes y ordenanzas"),
            ("red", "redes", "Conexión a las redes de agua potable"),
            ("gas", "gases", "Permiso para vender gases licuados"),
            ("sol", "soles", "Devolución de pagos en soles"),
            ("luz", "luces", "Duplicado del recibo de luz"),
            ("voz", "voces", "Registro de voces de personas ciegas"),
        ],
        ids=["pais-accented", "pais", "mes", "ley", "red", "gas", "sol", "luz", "voz"],
    )
    def test_it_finds_a_word_in_es_by_its_singular_and_its_plural(
        self, catalog: dict[str, object], singular: str, plural: str, service: str
    ) -> None:
        # Given a service that says the word, and one that only looks like it
        entity = make_entity("SUNARP")
        make_service(entity, service, plain_name=service)
        make_service(entity, "Mesa de partes virtual", plain_name="Mesa de partes virtual")

        # When a citizen types the singular or the plural, then the service is found
        assert names(singular) == [service]
        assert names(plural) == [service]

    def test_it_returns_nothing_for_nonsense(self, catalog: dict[str, object]) -> None:
        assert names("zzqxw") == []

    @pytest.mark.parametrize(
        "query",
        ["%", "_", "'; DROP TABLE x; --", '"', "\x00dni\x00", "😀🚗", "a" * 5000, "   "],
        ids=["percent", "underscore", "sql", "quote", "nul", "emoji", "long", "blank"],
    )
    def test_it_survives_nasty_input(self, catalog: dict[str, object], query: str) -> None:
        results = names(query)
        assert isinstance(results, list)

    def test_it_sees_catalog_changes_without_restart(self, catalog: dict[str, object]) -> None:
        assert names("apostilla") == []
        service = Service(
            entity=make_entity("RREE"),
            code="RREE-1",
            slug="apostilla",
            name="Apostilla de documentos",
            plain_name="Apostilla",
            qualification=Service.Qualification.AUTOMATIC,
            competent_unit="Oficina de Legalizaciones",
            legal_basis="TUO de la Ley 27444",
        )
        actions.save_service(service, by=None)
        assert names("apostilla") == ["Apostilla"]

    def test_it_hides_unpublished_services(self, catalog: dict[str, object]) -> None:
        service = catalog["pasaporte"]
        service.status = "draft"  # type: ignore[attr-defined]
        service.save()  # type: ignore[attr-defined]
        assert "Pasaporte electrónico" not in names("pasaporte")

    def test_it_loads_only_the_page_shown(
        self, catalog: dict[str, object], django_assert_num_queries: object
    ) -> None:
        results = search_services("")
        assert len(results) == 4
        with django_assert_num_queries(1):  # type: ignore[operator]
            page = results[1:3]
        assert [s.plain_name for s in page] == ["Duplicado de DNI", "Licencia de conducir"]


class TestIndexOfAnotherWorker:
    """Another worker does not receive this process's catalog events: it sees
    an edit through the configuration generation alone, which the edit's
    event raised in its transaction. (In these tests no event is delivered:
    the test's transaction never commits.)"""

    def test_it_sees_a_channel_changed_in_place(self, catalog: dict[str, object]) -> None:
        # Given a worker whose index has the passport by phone
        assert names("", channel="phone") == ["Pasaporte electrónico"]
        channel = ServiceChannel.objects.get(service_id=catalog["pasaporte"].pk, channel="phone")  # type: ignore[attr-defined]

        # When an editor changes that row to MAC Express (same row count and ids)
        channel.channel = "express"
        actions.save_service_channel(channel, by=None, changed_fields=["channel"])

        # Then the worker's filters follow
        assert names("", channel="phone") == []
        assert names("", channel="express") == ["Pasaporte electrónico"]

    def test_it_sees_an_offer_moved_to_another_center(self, catalog: dict[str, object]) -> None:
        # Given a worker whose index has the licence at Lima Sur only
        assert names("licencia", center="lima-norte") == []
        offer = Offer.objects.get(service_id=catalog["licencia"].pk)  # type: ignore[attr-defined]

        # When the offer row is moved to Lima Norte
        offer.center = Center.objects.get(slug="lima-norte")
        actions.save_offer(offer, by=None, changed_fields=["center"])

        # Then the worker finds it at Lima Norte and no longer at Lima Sur
        assert names("licencia", center="lima-norte") == ["Licencia de conducir"]
        assert names("licencia", center="lima-sur") == []

    def test_it_sees_a_category_renamed(self, catalog: dict[str, object]) -> None:
        # Given the licence in a category, and a worker that indexed its name
        category = Category.objects.create(name="Vehículos", slug="vehiculos")
        actions.set_service_categories(catalog["licencia"], [category], by=None)  # type: ignore[arg-type]
        assert names("vehiculos") == ["Licencia de conducir"]
        assert names("movilidad") == []

        # When the national team renames the category
        category.name = "Movilidad"
        actions.save_reference(category, by=None, changed_fields=["name"])

        # Then a search by the new name finds its services, by the old one not
        assert names("movilidad") == ["Licencia de conducir"]
        assert names("vehiculos") == []

    def test_it_sees_one_offer_switched_off_and_another_on(
        self, catalog: dict[str, object]
    ) -> None:
        # Given a worker whose index has the passport at Lima Norte, and the
        # licence offered there but switched off
        norte = Center.objects.get(slug="lima-norte")
        Offer.objects.create(service=catalog["licencia"], center=norte, active=False)  # type: ignore[misc]
        assert names("", center="lima-norte") == [
            "Copia certificada de acta de nacimiento",
            "Duplicado de DNI",
            "Pasaporte electrónico",
        ]

        # When a bulk write (as `mac seed` makes, touching no service, with
        # its event) switches the passport off there and the licence on
        with transaction.atomic():
            Offer.objects.filter(service=catalog["pasaporte"], center=norte).update(active=False)  # type: ignore[misc]
            Offer.objects.filter(service=catalog["licencia"], center=norte).update(active=True)  # type: ignore[misc]
            publish_on_commit("catalog.seeded", {"scale": 1})

        # Then the worker's center filter follows
        assert names("", center="lima-norte") == [
            "Copia certificada de acta de nacimiento",
            "Duplicado de DNI",
            "Licencia de conducir",
        ]

    def test_it_sees_the_swap_made_on_a_server_whose_clock_is_behind(
        self, catalog: dict[str, object]
    ) -> None:
        # Given a worker whose index has the passport at Lima Norte, the
        # licence offered there but switched off, and a service edited since
        norte = Center.objects.get(slug="lima-norte")
        licence = Offer.objects.create(service=catalog["licencia"], center=norte, active=False)  # type: ignore[misc]
        passport = Offer.objects.get(service=catalog["pasaporte"], center=norte)  # type: ignore[misc]
        make_service(make_entity("SAT"), "Papeletas de tránsito", plain_name="Papeletas")
        assert "Licencia de conducir" not in names("", center="lima-norte")

        # When an editor on a server whose clock is a minute behind swaps them
        # through the catalog actions (the services' updated_at goes back, so
        # MAX(updated_at) stays where it was)
        with time_machine.travel(timezone.now() - dt.timedelta(minutes=1), tick=False):
            passport.active = False
            actions.save_offer(passport, by=None, changed_fields=["active"])
            licence.active = True
            actions.save_offer(licence, by=None, changed_fields=["active"])

        # Then the worker's center filter follows
        assert names("", center="lima-norte") == [
            "Copia certificada de acta de nacimiento",
            "Duplicado de DNI",
            "Licencia de conducir",
        ]


GENERATION_READ = 'SELECT value FROM "core_configurationgeneration" WHERE id = 1'


def statements(action: Callable[[], object]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return [query["sql"] for query in captured.captured_queries]


class TestTheIndexCheck:
    """A search asks the database whether the catalog changed with one lookup
    by primary key: the configuration generation. It was one statement of 20
    sub-queries over six catalog tables (counts, highest ids and update times,
    and a checksum of every offer row): a scan of the services and the offers,
    once a second, in every worker."""

    def test_a_search_reads_the_generation_only(self, catalog: dict[str, object]) -> None:
        rank("pasaporte")  # builds the index

        assert statements(lambda: rank("pasaporte")) == [GENERATION_READ]

    def test_within_the_check_window_a_search_reads_nothing(
        self, catalog: dict[str, object], settings: Any
    ) -> None:
        settings.SEARCH_INDEX_CHECK_SECONDS = 60
        rank("pasaporte")

        assert statements(lambda: rank("pasaporte")) == []

    def test_a_change_rebuilds_the_index_once(self, catalog: dict[str, object]) -> None:
        # given an index, and an edit of another worker
        rank("pasaporte")
        passport: Any = catalog["pasaporte"]
        passport.plain_name = "Pasaporte biométrico"
        actions.save_service(passport, by=None, changed_fields=["plain_name"])

        # when two searches follow
        first = statements(lambda: names("pasaporte"))
        second = statements(lambda: rank("pasaporte"))

        # then the first rebuilds (services, their categories, offers,
        # channels, synonyms) and finds the new name; the second only checks
        assert first[0] == GENERATION_READ
        assert len(first) == 1 + 5 + 1  # the check, the build, the page shown
        assert names("pasaporte") == ["Pasaporte biométrico"]
        assert second == [GENERATION_READ]
