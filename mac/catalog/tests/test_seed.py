"""`mac seed`: the demo data of the 2024 policy brief, loaded idempotently."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count

from mac.accounts.models import Role, User
from mac.catalog.models import (
    UIT,
    Category,
    Entity,
    Offer,
    Requirement,
    Service,
    ServiceChannel,
    Synonym,
)
from mac.catalog.search import search_services
from mac.catalog.seed import SYNONYMS_FILE, seed
from mac.centers.models import Center, OpeningException, OpeningHours
from mac.core import generation
from mac.core.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    # Hashing the demo passwords with the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded() -> dict:
    return seed()


def _row_counts() -> dict[str, int]:
    models = (
        Entity, Service, Requirement, ServiceChannel, Offer, Center, OpeningHours,
        OpeningException, Category, UIT, Synonym, User, Service.categories.through,
    )  # fmt: skip
    return {m.__name__: m._default_manager.count() for m in models}


class TestSeedCounts:
    def test_it_creates_the_centers_of_the_policy_brief(self, seeded: dict) -> None:
        operating = Center.objects.operating()
        assert operating.count() == 15
        assert operating.values("region").distinct().count() == 12
        building = Center.objects.filter(status=Center.Status.UNDER_IMPLEMENTATION)
        assert building.count() == 4
        assert seeded["centers"] == 19

    def test_it_puts_every_center_in_a_district_of_its_region(self, seeded: dict) -> None:
        for center in Center.objects.select_related("ubigeo"):
            assert center.ubigeo.department_code == center.region_id, center.slug
        comas = Center.objects.get(slug="lima-norte")
        assert comas.ubigeo_id == "150110"
        assert comas.opened_on is not None and comas.opened_on.year == 2010

    def test_it_gives_every_operating_center_hours_and_exceptions(self, seeded: dict) -> None:
        for center in Center.objects.operating():
            assert set(center.hours.values_list("weekday", flat=True)) == {0, 1, 2, 3, 4, 5}
            assert center.exceptions.filter(closed=True).exists()

    def test_it_creates_48_entities_of_three_levels(self, seeded: dict) -> None:
        assert Entity.objects.count() == 48
        levels = set(Entity.objects.values_list("level", flat=True))
        assert levels == {"national", "regional", "local"}

    def test_it_creates_about_412_services(self, seeded: dict) -> None:
        assert 400 <= Service.objects.count() <= 425
        assert seeded["services"] == Service.objects.count()
        small = Entity.objects.annotate(n=Count("services")).filter(n__lt=3)
        assert list(small) == []
        for acronym in ("RENIEC", "SUNAT", "SUNARP", "MIGRACIONES", "MTC"):
            assert 15 <= Service.objects.filter(entity__acronym=acronym).count() <= 30

    def test_it_gives_every_service_its_tupa_fields(self, seeded: dict) -> None:
        prior = Service.objects.filter(qualification=Service.Qualification.PRIOR_EVALUATION)
        assert prior.exists()
        assert not prior.filter(silence="").exists()
        assert not prior.filter(appeal_authority="").exists()
        assert not Service.objects.filter(requirements__isnull=True).exists()
        assert not Service.objects.filter(channels__isnull=True).exists()
        assert not Service.objects.filter(keywords="").exists()
        assert not ServiceChannel.objects.filter(channel="online", url="").exists()
        assert Service.objects.filter(categories__kind=Category.Kind.LIFE_EVENT).exists()

    def test_it_offers_services_only_at_operating_centers(self, seeded: dict) -> None:
        for center in Center.objects.annotate(n=Count("offers")):
            if center.status == Center.Status.OPERATING:
                assert 60 <= center.n <= 150, (center.slug, center.n)
            else:
                assert center.n == 0, center.slug
        arequipa_only = Offer.objects.filter(service__entity__acronym="GORE-AREQUIPA")
        assert set(arequipa_only.values_list("center__slug", flat=True)) == {"arequipa"}

    def test_it_loads_the_uit_and_the_synonyms(self, seeded: dict) -> None:
        assert UIT.objects.get(year=2024).value == Decimal("5150.00")
        assert UIT.objects.get(year=2025).value == Decimal("5350.00")
        if SYNONYMS_FILE.exists():
            assert Synonym.objects.filter(term="brevete").exists()


NAMED_SERVICES = [
    ("RENIEC-DNI-DUPLICADO", "RENIEC"),
    ("RENIEC-DNI-RENOVACION", "RENIEC"),
    ("RENIEC-DNI-INSCRIPCION-MENOR", "RENIEC"),
    ("RENIEC-DNI-RECTIFICACION", "RENIEC"),
    ("RENIEC-ACTA-NACIMIENTO-COPIA", "RENIEC"),
    ("RENIEC-ACTA-MATRIMONIO-COPIA", "RENIEC"),
    ("RENIEC-ACTA-DEFUNCION-COPIA", "RENIEC"),
    ("MIGRACIONES-PASAPORTE-EMISION", "MIGRACIONES"),
    ("MIGRACIONES-CE-EMISION", "MIGRACIONES"),
    ("MIGRACIONES-MOVIMIENTO-MIGRATORIO", "MIGRACIONES"),
    ("PNP-ANTECEDENTES-POLICIALES", "PNP"),
    ("PJ-ANTECEDENTES-PENALES", "PJ"),
    ("INPE-ANTECEDENTES-JUDICIALES", "INPE"),
    ("SUNAT-RUC-INSCRIPCION", "SUNAT"),
    ("SUNAT-CLAVE-SOL", "SUNAT"),
    ("MTC-LICENCIA-DUPLICADO", "MTC"),
    ("MTC-RECORD-CONDUCTOR", "MTC"),
    ("SIS-AFILIACION", "SIS"),
    ("ESSALUD-ACREDITACION", "ESSALUD"),
    ("ESSALUD-SUBSIDIO-INCAPACIDAD", "ESSALUD"),
    ("ONP-CONSTANCIA-APORTES", "ONP"),
    ("SUNARP-CERTIFICADO-LITERAL", "SUNARP"),
    ("SUNARP-BUSQUEDA-PROPIEDAD", "SUNARP"),
    ("SUNARP-INSCRIPCION-VEHICULAR", "SUNARP"),
    ("SUNEDU-CONSTANCIA-GRADOS", "SUNEDU"),
    ("OSCE-RNP-CONSTANCIA", "OSCE"),
    ("MD-COMAS-LICENCIA-FUNCIONAMIENTO", "MD-COMAS"),
    ("SAT-PAPELETAS-PAGO", "SAT"),
    ("SAT-IMPUESTO-VEHICULAR", "SAT"),
    ("BN-PAGO-TASAS", "BN"),
    ("INDECOPI-RECLAMO-CONSUMIDOR", "INDECOPI"),
    ("CONADIS-INSCRIPCION-REGISTRO", "CONADIS"),
]


class TestSeedNamedServices:
    def test_it_creates_the_named_services(self, seeded: dict) -> None:
        for code, acronym in NAMED_SERVICES:
            service = Service.objects.select_related("entity").get(code=code)
            assert service.entity.acronym == acronym, code
            assert service.offers.exists(), code

    def test_it_keeps_the_real_passport_fee(self, seeded: dict) -> None:
        passport = Service.objects.get(code="MIGRACIONES-PASAPORTE-EMISION")
        assert passport.fee == Decimal("120.90")
        assert passport.requires_appointment
        assert not passport.is_illustrative

    def test_it_adds_the_words_citizens_use(self, seeded: dict) -> None:
        licence = Service.objects.get(code="MTC-LICENCIA-DUPLICADO")
        assert "brevete" in licence.keywords
        assert licence.requires_appointment
        birth = Service.objects.get(code="RENIEC-ACTA-NACIMIENTO-COPIA")
        assert "partida de nacimiento" in birth.keywords


class TestSeedUsers:
    def test_it_creates_one_user_per_role(self, seeded: dict) -> None:
        roles = set(User.objects.exclude(role="").values_list("role", flat=True))
        assert roles == set(Role.values)
        assert User.objects.get(username="admin").is_superuser
        advisor = User.objects.get(username="asesor.reniec.limanorte")
        assert advisor.entity is not None and advisor.center is not None
        assert (advisor.entity.acronym, advisor.center.slug) == ("RENIEC", "lima-norte")
        assert not advisor.is_staff
        assert User.objects.get(username="editor.reniec").is_staff

    def test_it_sets_the_printed_password(self, seeded: dict) -> None:
        for demo in seeded["users"]:
            assert len(demo.password) >= 12
            assert User.objects.get(username=demo.username).check_password(demo.password)


class TestSeedIsIdempotent:
    def test_it_changes_nothing_the_second_time(self, seeded: dict) -> None:
        before = _row_counts()
        sample = Service.objects.values().get(code="RENIEC-DNI-DUPLICADO")
        center = Center.objects.values().get(slug="arequipa")

        again = seed()

        assert _row_counts() == before
        assert Service.objects.values().get(code="RENIEC-DNI-DUPLICADO") == sample
        assert Center.objects.values().get(slug="arequipa") == center
        assert {k: v for k, v in again.items() if k != "users"} == {
            k: v for k, v in seeded.items() if k != "users"
        }
        assert not any(u.created for u in again["users"])

    def test_it_keeps_a_password_the_user_changed(self, seeded: dict) -> None:
        user = User.objects.get(username="supervisora.reniec")
        user.set_password("otra-clave-propia-2027")
        user.save()

        seed()

        user.refresh_from_db()
        assert user.check_password("otra-clave-propia-2027")

    def test_it_restores_a_field_changed_in_the_database(self, seeded: dict) -> None:
        Service.objects.filter(code="RENIEC-DNI-DUPLICADO").update(fee=Decimal("99.00"))
        Requirement.objects.filter(service__code="RENIEC-DNI-DUPLICADO", order=2).delete()

        seed()

        service = Service.objects.get(code="RENIEC-DNI-DUPLICADO")
        assert service.fee == Decimal("30.00")
        assert service.requirements.count() == 2


class TestSeedTellsRunningWorkers:
    """The seed writes in bulk, not through the actions: its event raises the
    configuration generation, which every worker's caches and search index
    check (a server may be running while `mac seed` loads the data)."""

    def test_it_raises_the_configuration_generation(self) -> None:
        before = generation.read()

        seed()

        assert generation.read() == before + 1
        assert list(Event.objects.filter(topic="catalog.seeded").values_list("payload")) == [
            ({"scale": 1},)
        ]

    def test_a_worker_that_searched_before_finds_what_it_loaded(self) -> None:
        # given a worker whose search index holds the empty catalog
        assert len(search_services("pasaporte")) == 0

        # when the seed loads the demo catalog
        seed()

        # then its next search finds it
        assert "Recoger mi pasaporte" in [s.plain_name for s in search_services("pasaporte")]


class TestSeedScale:
    def test_it_copies_every_service_when_scaled(self) -> None:
        counts = seed(scale=3)

        assert counts["services"] == 3 * seed_base_count()
        copy = Service.objects.get(code="RENIEC-DNI-DUPLICADO-V3")
        assert copy.name.endswith("(variante 3)")
        assert copy.slug.endswith("-variante-3")
        assert copy.requirements.count() == 2
        assert (
            copy.offers.count() == Service.objects.get(code="RENIEC-DNI-DUPLICADO").offers.count()
        )


def seed_base_count() -> int:
    from mac.catalog.seed import all_service_specs

    return sum(len(items) for items in all_service_specs().values())
