"""The orientation desk's "Emitidos hoy en orientación" lists the tickets the
desk issued (its visits and the bookings it checked in), not the kiosk's or
another system's check-ins, which are appointment tickets too."""

from __future__ import annotations

import time_machine
from django.test import Client
from django.urls import reverse

from mac.appointments import actions as appointments
from mac.appointments.models import Booking
from mac.appointments.testing import MORNING, agenda, lima
from mac.core.testing import CITIZEN_DNI
from mac.queueing.models import Ticket
from mac.screens.forms import new_form_key
from mac.screens.tests import test_kiosk_checkin as checkin
from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World, kiosk_client, kiosk_post

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world
_no_pow = checkin._no_pow


def bookings(world: World, numbers: list[str]) -> list[Booking]:
    """Bookings at 10:10 today (the clock says 10:00), one per document."""
    agenda(world.center, world.dni, per_counter=len(numbers))
    made = []
    with time_machine.travel(MORNING, tick=False):
        for n, number in enumerate(numbers):
            slot = next(
                s
                for s in appointments.open_day(world.center, world.dni, checkin.DAY)
                if s.start == lima(checkin.DAY, 10, 10)
            )
            made.append(
                appointments.book(
                    slot.pk,
                    world.dni,
                    document_type="dni",
                    document_number=number,
                    email=f"persona{n}@example.pe",
                )
            )
    return made


def recent_codes(client: Client) -> list[str]:
    body = client.get(reverse("screens:orientation", args=["lima-norte"])).content.decode()
    recent = body.split("Emitidos hoy en orientación")[1].split("</ul>")[0]
    return [code.split("</strong>")[0] for code in recent.split("<strong>")[1:]]


class TestOrientationRecent:
    def test_it_lists_only_what_the_desk_issued(self, world: World, frozen: None) -> None:
        # given
        at_desk, at_kiosk, by_api = bookings(world, [CITIZEN_DNI, "20304050", "30405060"])
        desk = Client()
        desk.force_login(world.olga)
        desk.post(
            reverse("screens:orientation_issue", args=["lima-norte"]),
            {"servicio": world.ruc.pk, "language": "es", "priority_reason": ""},
        )
        desk.post(  # a citizen whose appointment the desk takes by its time
            reverse("screens:orientation_issue", args=["lima-norte"]),
            {
                "servicio": world.dni.pk,
                "language": "es",
                "priority_reason": "",
                "appointment_time": "10:30",
            },
        )
        desk.post(
            reverse("screens:orientation_checkin", args=["lima-norte"]),
            {"code": at_desk.code, "document_type": "dni", "document_number": CITIZEN_DNI},
        )
        kiosk = kiosk_client(world.center)
        checkin.post(kiosk, checkin.checkin_data(at_kiosk))
        kiosk.post(
            reverse("screens:kiosk_issue", args=["lima-norte"]),
            kiosk_post(world, kiosk, new_form_key()),
        )
        # another system, with an orientation account's API key
        appointments.check_in(
            by_api.code,
            document_type="dni",
            document_number="30405060",
            source="api",
            center=world.center,
            by=world.olga,
        )
        assert Ticket.objects.count() == 6

        # when
        codes = recent_codes(desk)

        # then: newest first
        for booking in (at_desk, at_kiosk, by_api):
            booking.refresh_from_db()
        assert codes == [at_desk.ticket.code, "R-001", "S-001"]  # type: ignore[union-attr]
        assert {at_kiosk.ticket.source, by_api.ticket.source} == {"appointment"}  # type: ignore[union-attr]


def oob_codes(body: str) -> list[str]:
    """The codes of the out-of-band "Emitidos hoy" list in an htmx answer."""
    assert body.count('id="recientes" hx-swap-oob="true"') == 1
    recent = body.split('id="recientes" hx-swap-oob="true"')[1].split("</ul>")[0]
    return [code.split("</strong>")[0] for code in recent.split("<strong>")[1:]]


class TestOrientationRecentStaysCurrent:
    """Each ticket issued or checked in at the desk shows in its list at once
    (htmx swaps the list out of band): the list used to wait for a reload."""

    def test_issuing_and_checking_in_refresh_the_list(self, world: World, frozen: None) -> None:
        (booked,) = bookings(world, [CITIZEN_DNI])
        desk = Client()
        desk.force_login(world.olga)

        issued = desk.post(
            reverse("screens:orientation_issue", args=["lima-norte"]),
            {"servicio": world.ruc.pk, "language": "es", "priority_reason": ""},
            HTTP_HX_REQUEST="true",
        )
        checked_in = desk.post(
            reverse("screens:orientation_checkin", args=["lima-norte"]),
            {"code": booked.code, "document_type": "dni", "document_number": CITIZEN_DNI},
            HTTP_HX_REQUEST="true",
        )

        booked.refresh_from_db()
        assert oob_codes(issued.content.decode()) == ["S-001"]
        assert oob_codes(checked_in.content.decode()) == [booked.ticket.code, "S-001"]  # type: ignore[union-attr]

    def test_a_refusal_leaves_the_list_alone(self, world: World, frozen: None) -> None:
        desk = Client()
        desk.force_login(world.olga)

        refused = desk.post(
            reverse("screens:orientation_issue", args=["lima-norte"]),
            {"language": "es", "priority_reason": ""},
            HTTP_HX_REQUEST="true",
        )

        assert refused.status_code == 422
        assert "recientes" not in refused.content.decode()

    def test_the_full_page_has_one_list_and_no_out_of_band_one(
        self, world: World, frozen: None
    ) -> None:
        desk = Client()
        desk.force_login(world.olga)

        page = desk.post(
            reverse("screens:orientation_issue", args=["lima-norte"]),
            {"servicio": world.ruc.pk, "language": "es", "priority_reason": ""},
        ).content.decode()

        assert page.count('id="recientes"') == 1
        assert "hx-swap-oob" not in page
        assert recent_codes(desk) == ["S-001"]
