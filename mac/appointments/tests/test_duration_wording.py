"""A duration a citizen reads is in hours when it is a whole number of them
("2 horas", not "120 minutos"), else in minutes; in Quechua too, where the
suffix goes on the unit ("2 horayki")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mac.appointments import actions
from mac.appointments.errors import Invalid
from mac.appointments.models import Booking, WaitlistEntry
from mac.appointments.testing import lima
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    FIRST_FREE,
    Citas,
    book_via_pages,
    contact_data,
    slot_at,
    text,
)

morning = pages.morning
citas = pages.citas


def joined_page(client: Client, citas: Citas) -> str:
    """The waitlist's page once joined (Post/Redirect/Get)."""
    data = {
        "servicio": str(citas.service.pk),
        "centro": "lima-norte",
        "dia": DAY.isoformat(),
        **contact_data(),
    }
    posted = client.post(reverse("appointments:waitlist"), data)
    assert posted.status_code == 302
    assert WaitlistEntry.objects.count() == 1
    return text(client.get(posted["Location"]))


class TestDurationWording:
    @pytest.mark.parametrize(
        ("minutes", "expected"),
        [
            (120, "Tendrás hasta 2 horas para confirmarlo"),
            (60, "Tendrás hasta 1 hora para confirmarlo"),
            (90, "Tendrás hasta 90 minutos para confirmarlo"),
            (45, "Tendrás hasta 45 minutos para confirmarlo"),
        ],
        ids=["two-hours", "one-hour", "ninety-minutes", "under-an-hour"],
    )
    def test_it_words_the_waitlist_offer_time(
        self, client: Client, citas: Citas, settings: Any, minutes: int, expected: str
    ) -> None:
        settings.APPOINTMENTS = {"POW_REQUIRED": False, "WAITLIST_OFFER_MINUTES": minutes}

        assert expected in joined_page(client, citas)

    def test_it_words_the_waitlist_offer_time_in_quechua(
        self, client: Client, citas: Citas
    ) -> None:
        client.post(reverse("set_language"), {"language": "qu", "next": "/citas/"})

        page = joined_page(client, citas)

        assert "takyachinaykipaq 2 horayki kanqa." in page
        assert "minuto" not in page

    @pytest.mark.parametrize(
        ("lead", "language", "expected"),
        [
            (120, "es", "Las citas se reservan con al menos 2 horas de anticipación."),
            (60, "es", "Las citas se reservan con al menos 1 hora de anticipación."),
            (90, "es", "Las citas se reservan con al menos 90 minutos de anticipación."),
            (
                120,
                "qu",
                "Citataqa aswan pisimanta 2 hora ñawpaqmantaraqmi apartayta atikun.",
            ),
        ],
        ids=["two-hours", "one-hour", "ninety-minutes", "quechua"],
    )
    def test_it_words_the_lead_time_refusal(
        self, citas: Citas, lead: int, language: str, expected: str
    ) -> None:
        citas.agenda.lead_minutes = lead
        citas.agenda.save()
        slot = slot_at(citas, lima(DAY, 9, 50))  # within each lead time of 09:00

        with translation.override(language), pytest.raises(Invalid) as refused:
            actions.hold(slot.pk, citas.service)

        assert (refused.value.code, refused.value.message) == ("lead_time", expected)
        slot.refresh_from_db()
        assert (slot.taken, Booking.objects.count()) == (0, 0)

    @pytest.mark.parametrize(
        ("late", "expected"),
        [
            (15, "Si llegas más de 15 minutos tarde, te atendemos como a quien viene sin cita."),
            (60, "Si llegas más de 1 hora tarde, te atendemos como a quien viene sin cita."),
            (120, "Si llegas más de 2 horas tarde, te atendemos como a quien viene sin cita."),
        ],
        ids=["minutes", "one-hour", "two-hours"],
    )
    def test_it_words_the_late_arrival_on_the_confirmation(
        self, client: Client, citas: Citas, settings: Any, late: int, expected: str
    ) -> None:
        settings.APPOINTMENTS = {"POW_REQUIRED": False, "CHECKIN_LATE_MINUTES": late}
        book_via_pages(client, citas, slot_at(citas, FIRST_FREE))

        response = client.get(reverse("appointments:confirmed"))

        assert response.status_code == 200
        assert expected in text(response)
