from dataclasses import dataclass

import pytest

from mac.accounts.models import User
from mac.catalog.models import Entity, Service
from mac.centers.models import Center
from mac.queueing import cache
from mac.queueing.models import Counter
from mac.queueing.queries import forget_service_times
from mac.queueing.testing import make_entity, queue_center, queue_service, staffed_counter


@dataclass
class Desk:
    center: Center
    reniec: Entity
    sunat: Entity
    dni: Service
    acta: Service
    ruc: Service
    counter: Counter  # RENIEC, serves dni and acta
    advisor: User
    sunat_counter: Counter
    sunat_advisor: User


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    forget_service_times()
    cache.clear()


@pytest.fixture
def desk(db: None) -> Desk:
    center = queue_center("lima-norte", name="Centro MAC Lima Norte")
    reniec = make_entity("RENIEC")
    sunat = make_entity("SUNAT")
    dni = queue_service(reniec, "Duplicado de DNI", center, series="R")
    acta = queue_service(
        reniec, "Copia de acta de nacimiento", center, series="A", target_minutes=10
    )
    ruc = queue_service(sunat, "Inscripción en el RUC", center, series="S")
    counter, advisor = staffed_counter(center, reniec, 1, [dni, acta])
    sunat_counter, sunat_advisor = staffed_counter(center, sunat, 2, [ruc])
    return Desk(
        center, reniec, sunat, dni, acta, ruc, counter, advisor, sunat_counter, sunat_advisor
    )
