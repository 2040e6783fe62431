"""Shared world of the appointment page tests (no tests here).

Lima Norte and Arequipa give appointments for RENIEC's "Duplicado del DNI"
(one place per 20-minute slot, 60 minutes' lead), which a counter serves at
each (in Spanish); Lima Norte also offers a SUNAT service without
appointments. The clock stands on Tuesday 2026-12-01,
09:00 in Lima: the first slot that can be booked is 10:10 (slots start at
08:30). 2026-12-08 is a national holiday."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mac.accounts.models import Role, User
from mac.appointments import actions
from mac.appointments.models import Agenda, Booking, Slot
from mac.appointments.testing import DNI, MORNING, agenda, lima
from mac.catalog.models import Offer, Service
from mac.centers.models import Center
from mac.core.calendar import to_lima
from mac.core.testing import Personas, make_personas, make_user
from mac.queueing.testing import make_counter, queue_center, queue_service

DAY = dt.date(2026, 12, 1)
HOLIDAY = dt.date(2026, 12, 8)
FIRST_FREE = lima(DAY, 10, 10)
EMAIL = "ana@example.pe"


@dataclass
class Citas:
    personas: Personas
    center: Center
    other: Center
    service: Service
    walk_in: Service
    agenda: Agenda


def build_citas() -> Citas:
    personas = make_personas()
    center = queue_center("lima-norte")
    other = queue_center("arequipa")
    service = queue_service(personas.reniec, "Duplicado del DNI", center, series="R")
    Offer.objects.create(service=service, center=other)
    walk_in = queue_service(personas.sunat, "Inscripción en el RUC", center, series="S")
    made = agenda(center, service)
    agenda(other, service)
    # Bookings only where a counter serves the service (numbered apart from
    # those tests add).
    make_counter(center, personas.reniec, 10, [service])
    make_counter(center, personas.sunat, 11, [walk_in])
    make_counter(other, personas.reniec, 10, [service])
    return Citas(personas, center, other, service, walk_in, made)


@pytest.fixture
def morning() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def citas(db: None, morning: time_machine.Traveller, settings: Any) -> Citas:
    settings.APPOINTMENTS = {"POW_REQUIRED": False}
    return build_citas()


def day_url(citas: Citas, day: dt.date = DAY, center: Center | None = None) -> str:
    params = {"servicio": citas.service.pk, "centro": (center or citas.center).slug}
    return reverse("appointments:start") + "?" + urlencode({**params, "dia": day.isoformat()})


def slot_at(citas: Citas, start: dt.datetime, center: Center | None = None) -> Slot:
    actions.open_day(center or citas.center, citas.service, to_lima(start).date())
    return Slot.objects.get(center=center or citas.center, service=citas.service, start=start)


def take_data(citas: Citas, slot: Slot, **extra: str) -> dict[str, str]:
    return {
        "servicio": str(citas.service.pk),
        "centro": slot.center.slug,
        "dia": to_lima(slot.start).date().isoformat(),
        "horario": str(slot.pk),
        **extra,
    }


def hold_via_page(client: Client, citas: Citas, slot: Slot) -> Booking:
    response = client.post(reverse("appointments:take"), take_data(citas, slot))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Booking.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[1])


def contact_data(**overrides: str) -> dict[str, str]:
    data = {
        "document_type": "dni",
        "document_number": DNI,
        "email": EMAIL,
        "phone": "",
        "language": "es",
    }
    data.update(overrides)
    return data


def book_via_pages(client: Client, citas: Citas, slot: Slot) -> Booking:
    held = hold_via_page(client, citas, slot)
    response = client.post(reverse("appointments:hold", args=[held.token]), contact_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("appointments:confirmed")
    return Booking.objects.get(pk=held.pk)


def book_directly(citas: Citas, slot: Slot, number: str = DNI, email: str = EMAIL) -> Booking:
    return actions.book(
        slot.pk, citas.service, document_type="dni", document_number=number, email=email
    )


def manage_client(booking: Booking, number: str = DNI) -> Client:
    """A browser that proved the code and the document of `booking`."""
    client = Client()
    response = client.post(
        reverse("appointments:manage"),
        {"code": booking.code, "document_type": "dni", "document_number": number},
    )
    assert response.status_code == 302
    return client


def make_operator(username: str = "olga", role: str = Role.CALL_CENTER, **kw: Any) -> User:
    """An operator of Aló MAC (or another role's user, to be refused as one)."""
    names = {"first_name": "Olga", "last_name": "Mamani Quispe"}
    return make_user(username, role, **{**names, **kw})


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def book_for_caller(client: Client, citas: Citas, slot: Slot, **contact: str) -> Booking:
    """Hold and confirm on the pages as the operator signed in on `client`:
    no proof of work is sent."""
    response = client.post(reverse("appointments:take"), take_data(citas, slot))
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    response = client.post(reverse("appointments:hold", args=[token]), contact_data(**contact))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("appointments:confirmed")
    return Booking.objects.get(token=token)


def text(response: Any) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def region(response: Any, element_id: str) -> str:
    """The text inside the element with this id (first match, no nesting of
    the same tag)."""
    body = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', body, flags=re.S)
    assert match, f"no #{element_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())
