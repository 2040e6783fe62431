"""Booking on the portal: service, center, day and slot, then the hold."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from mac.appointments.models import Booking, Slot
from mac.appointments.testing import OTHER_DNI, lima
from mac.appointments.tests import pages
from mac.appointments.tests.pages import (
    DAY,
    FIRST_FREE,
    HOLIDAY,
    Citas,
    book_directly,
    day_url,
    region,
    slot_at,
    take_data,
    text,
)

# Shared fixtures (pytest finds them by these module attributes).
morning = pages.morning
citas = pages.citas


class TestBookingPages:
    def test_it_lists_only_services_with_an_agenda_by_entity(
        self, client: Client, citas: Citas
    ) -> None:
        response = client.get(reverse("appointments:start"))

        assert response.status_code == 200
        body = text(response)
        assert "Registro Nacional de Identificación y Estado Civil (RENIEC)" in body
        assert "Duplicado del DNI" in body
        assert "Inscripción en el RUC" not in body
        assert f'href="/citas/?servicio={citas.service.pk}"' in response.content.decode()

    def test_it_searches_among_the_services_with_an_agenda(
        self, client: Client, citas: Citas
    ) -> None:
        found = text(client.get(reverse("appointments:start"), {"q": "duplicado dni"}))
        missing = text(client.get(reverse("appointments:start"), {"q": "ruc"}))

        assert "Duplicado del DNI" in found
        assert "No encontramos trámites con cita para «ruc»." in missing
        assert "Duplicado del DNI" not in missing

    def test_it_says_when_a_linked_service_takes_no_appointments(
        self, client: Client, citas: Citas
    ) -> None:
        response = client.get(reverse("appointments:start"), {"servicio": citas.walk_in.pk})

        assert response.status_code == 200
        assert "Ese trámite no tiene reserva de citas en línea." in text(response)

    def test_it_lists_the_centers_that_book_the_service(self, client: Client, citas: Citas) -> None:
        response = client.get(reverse("appointments:start"), {"servicio": citas.service.pk})

        body = response.content.decode()
        assert "Elige el Centro MAC" in text(response)
        assert f"?servicio={citas.service.pk}&amp;centro=lima-norte" in body
        assert f"?servicio={citas.service.pk}&amp;centro=arequipa" in body

    def test_it_shows_the_free_slots_of_a_day_in_lima_time(
        self, client: Client, citas: Citas
    ) -> None:
        book_directly(citas, slot_at(citas, lima(DAY, 10, 30)))

        response = client.get(day_url(citas))

        assert response.status_code == 200
        assert (
            region(response, "aviso") == "Hay 24 horarios libres el martes 1 de diciembre de 2026."
        )
        body = response.content.decode()
        times = [t for t in ("09:50", "10:10", "10:30", "10:50", "18:10") if f">{t}<" in body]
        assert times == ["10:10", "10:50", "18:10"]
        assert "1 cupo" in text(response)
        assert 'min="2026-12-01"' in body and 'max="2026-12-31"' in body
        # Dates written as Peru writes them: two-digit day and month.
        assert "Puedes reservar entre el 01/12/2026 y el 31/12/2026." in text(response)

    def test_it_shows_the_first_day_with_free_slots_by_default(
        self, client: Client, citas: Citas
    ) -> None:
        response = client.get(
            reverse("appointments:start"),
            {"servicio": str(citas.service.pk), "centro": "lima-norte"},
        )

        assert 'value="2026-12-01"' in response.content.decode()
        assert (
            region(response, "aviso") == "Hay 25 horarios libres el martes 1 de diciembre de 2026."
        )

    def test_it_swaps_the_day_with_htmx(self, client: Client, citas: Citas) -> None:
        url = reverse("appointments:slots")
        params = {"servicio": str(citas.service.pk), "centro": "lima-norte", "dia": "2026-12-02"}

        response = client.get(url, {**params, "modo": "reservar"}, headers={"HX-Request": "true"})

        assert response.status_code == 200
        body = response.content.decode()
        assert "<html" not in body
        assert '<div id="aviso" hx-swap-oob="innerHTML">' in body
        assert "Hay 30 horarios libres el miércoles 2 de diciembre de 2026." in body
        assert response["HX-Push-Url"] == day_url(citas, DAY.replace(day=2))

    def test_it_sends_a_plain_get_of_the_partial_to_the_page(
        self, client: Client, citas: Citas
    ) -> None:
        params = {"servicio": str(citas.service.pk), "centro": "lima-norte", "dia": "2026-12-02"}

        response = client.get(reverse("appointments:slots"), params)

        assert response.status_code == 302
        assert response["Location"] == day_url(citas, DAY.replace(day=2))

    def test_it_explains_that_a_holiday_has_no_slots(self, client: Client, citas: Citas) -> None:
        response = client.get(day_url(citas, HOLIDAY))

        assert response.status_code == 200
        assert region(response, "aviso") == (
            "El martes 8 de diciembre de 2026 es feriado (Inmaculada Concepción): "
            "el centro no atiende."
        )
        assert 'name="horario"' not in response.content.decode()
        assert not Slot.objects.filter(start__date=HOLIDAY).exists()

    def test_it_refuses_a_past_day(self, client: Client, citas: Citas) -> None:
        response = client.get(day_url(citas, DAY.replace(day=1, month=11)))

        assert region(response, "aviso") == "La fecha ya pasó."
        assert 'name="horario"' not in response.content.decode()

    def test_it_refuses_a_malformed_day(self, client: Client, citas: Citas) -> None:
        url = day_url(citas).replace("2026-12-01", "2026-13-40")

        response = client.get(url)

        assert region(response, "aviso") == "La fecha no es válida. Elige un día del calendario."

    def test_it_holds_the_chosen_slot_for_this_address(self, client: Client, citas: Citas) -> None:
        slot = slot_at(citas, FIRST_FREE)

        response = client.post(reverse("appointments:take"), take_data(citas, slot))

        booking = Booking.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/citas/reserva/{booking.token}/"
        assert (booking.status, booking.channel, booking.client_address) == (
            "held",
            "portal",
            "127.0.0.1",
        )
        assert booking.slot == slot
        slot.refresh_from_db()
        assert slot.taken == 1

    def test_it_refuses_a_full_slot_and_holds_nothing(self, client: Client, citas: Citas) -> None:
        slot = slot_at(citas, FIRST_FREE)
        taken = book_directly(citas, slot, number=OTHER_DNI)

        response = client.post(reverse("appointments:take"), take_data(citas, slot))

        assert response.status_code == 409
        assert region(response, "aviso") == (
            "Ese horario ya no tiene cupos. Elige otro o inscríbete en la lista de espera."
        )
        assert list(Booking.objects.all()) == [taken]
        slot.refresh_from_db()
        assert slot.taken == 1

    def test_it_asks_for_a_slot_when_none_was_chosen(self, client: Client, citas: Citas) -> None:
        data = take_data(citas, slot_at(citas, FIRST_FREE))
        del data["horario"]

        response = client.post(reverse("appointments:take"), data)

        assert response.status_code == 422
        assert region(response, "aviso") == "Elige un horario de la lista."
        assert not Booking.objects.exists()

    def test_it_refuses_a_crafted_slot_id_and_holds_nothing(
        self, client: Client, citas: Citas
    ) -> None:
        slot = slot_at(citas, FIRST_FREE)
        for crafted in ("²", "9" * 5000, "9" * 19, "١", "-1"):
            response = client.post(
                reverse("appointments:take"), take_data(citas, slot, horario=crafted)
            )

            assert response.status_code == 422, crafted
            assert region(response, "aviso") == "Elige un horario de la lista."
        assert not Booking.objects.exists()
        slot.refresh_from_db()
        assert slot.taken == 0

    def test_it_treats_a_crafted_service_id_as_unknown(self, client: Client, citas: Citas) -> None:
        slot = slot_at(citas, FIRST_FREE)
        for crafted in ("²", "9" * 5000, "9" * 19):
            place = {"servicio": crafted, "centro": "lima-norte", "dia": DAY.isoformat()}
            start = client.get(reverse("appointments:start"), place)
            slots = client.get(reverse("appointments:slots"), place, headers={"HX-Request": "true"})
            waitlist = client.get(reverse("appointments:waitlist"), place)
            take = client.post(
                reverse("appointments:take"), take_data(citas, slot, servicio=crafted)
            )

            assert (start.status_code, slots.status_code) == (200, 404), crafted
            assert (waitlist.status_code, take.status_code) == (404, 404), crafted
            assert "Duplicado del DNI" in text(start)  # the list of services again
        assert not Booking.objects.exists()

    def test_it_offers_the_waitlist_when_the_day_is_full(
        self, client: Client, citas: Citas
    ) -> None:
        citas.agenda.lead_minutes = 9 * 60  # only 18:10 is left today
        citas.agenda.save()
        book_directly(citas, slot_at(citas, lima(DAY, 18, 10)), number=OTHER_DNI)

        response = client.get(day_url(citas))

        assert (
            region(response, "aviso")
            == "El martes 1 de diciembre de 2026 ya no tiene horarios libres."
        )
        body = response.content.decode()
        assert "Inscribirme en la lista de espera" in body
        assert (
            f'href="/citas/lista-de-espera/?servicio={citas.service.pk}&amp;centro=lima-norte'
            '&amp;dia=2026-12-01"' in body
        )
        assert 'name="horario"' not in body
