"""Joining the waitlist confirms nothing: without an email or a mobile it is
refused saying what the contact is for, the offer of a freed place, on the
page and through the API; a booking still asks for one for its confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mac.appointments import actions
from mac.appointments.errors import Invalid
from mac.appointments.models import Booking, WaitlistEntry
from mac.appointments.testing import DNI
from mac.appointments.tests import pages
from mac.appointments.tests.pages import DAY, FIRST_FREE, Citas, contact_data, slot_at, text
from mac.core import pow

morning = pages.morning
citas = pages.citas

FOR_THE_OFFER = "Indica un correo o un celular para avisarte si se libera un horario."
FOR_THE_CONFIRMATION = "Indica un correo o un celular para enviarte la confirmación."


class TestWaitlistContact:
    def test_it_refuses_the_page_without_a_contact_naming_the_offer(
        self, client: Client, citas: Citas
    ) -> None:
        data = {
            "servicio": str(citas.service.pk),
            "centro": "lima-norte",
            "dia": DAY.isoformat(),
            **contact_data(email="", phone=""),
        }

        response = client.post(reverse("appointments:waitlist"), data)

        assert response.status_code == 422
        assert f"Correo electrónico: {FOR_THE_OFFER}" in text(response)
        assert FOR_THE_CONFIRMATION not in text(response)
        assert not WaitlistEntry.objects.exists()

    def test_it_refuses_the_api_without_a_contact_naming_the_offer(
        self, client: Client, citas: Citas, settings: Any
    ) -> None:
        # An anonymous client, with the proof of work it needs to get that far.
        settings.APPOINTMENTS = {"POW_REQUIRED": True, "POW_MAX_NUMBER": 10}
        proof = pow.solve(client.get("/api/v1/appointments/challenge").json())
        body = {
            "center": citas.center.pk,
            "service": citas.service.pk,
            "date": DAY.isoformat(),
            "document_type": "dni",
            "document_number": DNI,
        }

        response = client.post(
            "/api/v1/appointments/waitlist",
            body,
            content_type="application/json",
            HTTP_X_PROOF_OF_WORK=proof,
        )

        assert response.status_code == 422
        assert response.json() == {"detail": FOR_THE_OFFER, "code": "no_contact"}
        assert not WaitlistEntry.objects.exists()

    def test_a_booking_without_a_contact_still_names_its_confirmation(self, citas: Citas) -> None:
        slot = slot_at(citas, FIRST_FREE)

        with pytest.raises(Invalid) as refused:
            actions.book(slot.pk, citas.service, document_type="dni", document_number=DNI)

        assert (refused.value.code, refused.value.message) == ("no_contact", FOR_THE_CONFIRMATION)
        slot.refresh_from_db()
        assert (slot.taken, Booking.objects.count()) == (0, 0)
