"""Shared world for the kiosk, printing and orientation tests (no tests here).

Lima Norte offers RENIEC's DNI duplicate (counter 1 open) and SUNAT's RUC;
Arequipa offers a service Lima Norte does not. Olga works at Lima Norte's
orientation desk; Oscar at Arequipa's; Bob is an advisor at Lima Norte."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.core import signing
from django.test import Client

from mac.accounts.models import Role, User
from mac.catalog.models import Entity, Service
from mac.centers.models import Center
from mac.core.testing import make_user
from mac.queueing import cache
from mac.queueing.queries import forget_service_times
from mac.queueing.testing import (
    OPEN,
    make_counter,
    make_entity,
    queue_center,
    queue_service,
    staffed_counter,
)
from mac.screens import printing
from mac.screens.kiosk import DEVICE_COOKIE, DEVICE_SALT
from mac.screens.models import KioskDevice


@dataclass
class World:
    center: Center
    other: Center
    reniec: Entity
    sunat: Entity
    dni: Service
    ruc: Service
    elsewhere: Service
    olga: User
    oscar: User
    bob: User


def build_world() -> World:
    center = queue_center("lima-norte", name="Centro MAC Lima Norte")
    other = queue_center("arequipa", name="Centro MAC Arequipa", district="040112")
    reniec = make_entity("RENIEC", name="Registro Nacional de Identificación y Estado Civil")
    sunat = make_entity("SUNAT", name="Superintendencia Nacional de Aduanas y de Administración")
    dni = queue_service(reniec, "Duplicado del DNI", center, series="R", mean_minutes=10)
    ruc = queue_service(sunat, "Inscripción en el RUC", center, series="S")
    elsewhere = queue_service(sunat, "Cambio de domicilio fiscal", other, series="D")
    _counter, bob = staffed_counter(center, reniec, 1, [dni])
    # SUNAT's counter has nobody signed in, but serves the RUC: its tickets wait.
    make_counter(center, sunat, 12, [ruc])
    make_counter(other, sunat, 11, [elsewhere])
    olga = make_user("olga", Role.ORIENTATION, center=center, first_name="Olga")
    oscar = make_user("oscar", Role.ORIENTATION, center=other)
    return World(center, other, reniec, sunat, dni, ruc, elsewhere, olga, oscar, bob)


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    forget_service_times()
    cache.clear()
    printing.dummy_outputs.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(OPEN, tick=False):
        yield


@pytest.fixture
def dummy_printer(settings: object) -> None:
    settings.TICKET_PRINTER = "dummy"  # type: ignore[attr-defined]


def kiosk_client(center: Center, client: Client | None = None) -> Client:
    """A client that carries the signed device cookie of a kiosk of `center`."""
    client = client or Client()
    device = KioskDevice.objects.create(center=center, name="Kiosko 1", created_at=OPEN)
    client.cookies[DEVICE_COOKIE] = signing.dumps(device.pk, salt=DEVICE_SALT)
    return client


def kiosk_post(world: World, client: Client, key: str, **fields: str) -> dict[str, str]:
    data = {
        "servicio": str(world.dni.pk),
        "key": key,
        "document_type": "",
        "document_number": "",
        "priority_reason": "",
        "language": "es",
    }
    data.update(fields)
    return data
