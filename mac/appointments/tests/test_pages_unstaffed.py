"""The booking pages, and the portal's links to them, offer a service only
at the centers where an active counter serves it: elsewhere its check-in
would be refused. A link to such a center (from before, or a bookmark) says
why it takes no bookings; its slots cannot be held nor its waitlist joined,
and a booking made before cannot be moved to another of its slots: its page
tells the citizen who holds it that the center cannot attend it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    FIRST_FREE,
    Citas,
    book_directly,
    day_url,
    manage_client,
    slot_at,
    take_data,
    text,
)
from mac.centers.models import Center
from mac.queueing import cache
from mac.queueing.models import Counter

morning = pages.morning
citas = pages.citas

AREQUIPA_REFUSAL = (
    "Por ahora ningún módulo de Centro MAC Arequipa atiende «Duplicado del DNI»: no puedes"
    " reservar una cita de este trámite en ese centro. Elige otro Centro MAC."
)
AREQUIPA_FOR_HOLDER = (
    "Por ahora ningún módulo de Centro MAC Arequipa atiende «Duplicado del DNI»: el centro no"
    " podrá atender tu cita. Puedes anularla y reservar otra en otro Centro MAC; si no, el"
    " centro la anulará y te avisará."
)


def unstaff(center: Center) -> None:
    """Disable the center's counters, as the back office does (its save drops
    the cached skills)."""
    Counter.objects.filter(center=center).update(active=False)
    cache.clear()


class TestUnstaffedPages:
    def test_it_lists_only_the_centers_where_a_counter_serves_the_service(
        self, client: Client, citas: Citas
    ) -> None:
        unstaff(citas.other)

        response = client.get(reverse("appointments:start"), {"servicio": citas.service.pk})

        body = response.content.decode()
        assert f"?servicio={citas.service.pk}&amp;centro=lima-norte" in body
        assert "centro=arequipa" not in body
        assert "Centro MAC Arequipa" not in text(response)

    def test_it_lists_no_service_that_no_center_staffs(self, client: Client, citas: Citas) -> None:
        unstaff(citas.center)
        unstaff(citas.other)

        listed = client.get(reverse("appointments:start"))
        linked = client.get(reverse("appointments:start"), {"servicio": citas.service.pk})

        assert "Duplicado del DNI" not in text(listed)
        assert "Ese trámite no tiene reserva de citas en línea." in text(linked)

    def test_a_link_to_the_day_of_an_unstaffed_center_says_why(
        self, client: Client, citas: Citas
    ) -> None:
        unstaff(citas.other)

        response = client.get(day_url(citas, center=citas.other))

        assert response.status_code == 200
        assert AREQUIPA_REFUSAL in text(response)
        assert "Elige el Centro MAC" in text(response)
        assert Slot.objects.filter(center=citas.other).count() == 0

    def test_a_link_to_a_center_without_an_agenda_keeps_its_message(
        self, client: Client, citas: Citas
    ) -> None:
        response = client.get(
            reverse("appointments:start"), {"servicio": str(citas.service.pk), "centro": "callao"}
        )

        assert "Ese Centro MAC no da citas para este trámite. Elige uno de la lista." in text(
            response
        )

    def test_it_holds_no_slot_of_an_unstaffed_center(self, client: Client, citas: Citas) -> None:
        slot = slot_at(citas, FIRST_FREE, center=citas.other)
        unstaff(citas.other)

        response = client.post(reverse("appointments:take"), take_data(citas, slot))

        assert response.status_code == 404
        slot.refresh_from_db()
        assert (slot.taken, Booking.objects.count()) == (0, 0)

    def test_it_takes_nobody_onto_the_waitlist_of_an_unstaffed_center(
        self, client: Client, citas: Citas
    ) -> None:
        unstaff(citas.other)
        url = reverse("appointments:waitlist")
        place = {"servicio": str(citas.service.pk), "centro": "arequipa", "dia": "2026-12-02"}

        shown = client.get(url, place)
        posted = client.post(
            url, {**place, **pages.contact_data(email="ana@example.pe", language="es")}
        )

        assert (shown.status_code, posted.status_code) == (404, 404)
        assert WaitlistEntry.objects.count() == 0

    def test_the_booking_page_of_a_booking_made_before_offers_no_other_slot(
        self, citas: Citas
    ) -> None:
        booking = book_directly(citas, slot_at(citas, FIRST_FREE, center=citas.other))
        browser = manage_client(booking)
        unstaff(citas.other)

        response = browser.get(reverse("appointments:manage_booking"))

        assert response.status_code == 200
        assert AREQUIPA_FOR_HOLDER in text(response)
        assert "no puedes reservar" not in text(response)
        assert 'name="horario"' not in response.content.decode()
        assert "Anular mi cita" in text(response)

    def test_the_portal_links_only_to_staffed_centers(self, client: Client, citas: Citas) -> None:
        unstaff(citas.center)

        center_page = client.get(citas.center.get_absolute_url()).content.decode()
        service_page = client.get(citas.service.get_absolute_url()).content.decode()

        assert "Reservar cita" not in center_page
        assert f"/citas/?servicio={citas.service.pk}" in service_page  # Arequipa books it

        unstaff(citas.other)
        service_page = client.get(citas.service.get_absolute_url()).content.decode()
        assert "Reservar cita" not in service_page

    def test_it_says_why_in_quechua_with_the_names_in_spanish(
        self, client: Client, citas: Citas
    ) -> None:
        unstaff(citas.other)
        client.post(reverse("set_language"), {"language": "qu", "next": "/citas/"})

        response = client.get(day_url(citas, center=citas.other))

        assert (
            'Kunanqa <span lang="es">Centro MAC Arequipa</span>-pi manam mayqin módulopas'
            ' «<span lang="es">Duplicado del DNI</span>» trámiteta atiendenchu: chay centropiqa'
            " manam kay trámitepaq citata apartayta atinkichu. Huk Centro MAC-ta akllay."
            in response.content.decode()
        )
