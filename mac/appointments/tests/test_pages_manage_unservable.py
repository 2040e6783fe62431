"""The page of a booking that check-in would refuse speaks to the citizen
who holds it, not as the booking pages refuse a new booking ("no puedes
reservar..."): the center cannot attend it; cancel it (or move it, when
only its day is closed), or the center will cancel it and tell you. Where
no slot of its service and language can be served, no other slot is
offered. A booking the center cancelled says why, with a link to book
again."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from mac.appointments import actions
from mac.appointments.models import Booking
from mac.appointments.testing import DNI, lima
from mac.appointments.tests import pages
from mac.appointments.tests.pages import Citas, book_directly, manage_client, slot_at, text
from mac.centers.models import OpeningException
from mac.queueing import cache
from mac.queueing.models import Counter
from mac.queueing.testing import make_counter

morning = pages.morning
citas = pages.citas
DAY = dt.date(2026, 12, 2)


def page(booking: Booking) -> tuple[int, str, str]:
    response = manage_client(booking).get(reverse("appointments:manage_booking"))
    return response.status_code, text(response), response.content.decode()


class TestManageUnservable:
    def test_a_booking_the_center_can_attend_says_nothing_of_the_kind(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, lima(DAY, 10, 10)))

        status, shown, html = page(booking)

        assert status == 200
        assert "no podrá atender" not in shown
        assert 'name="horario"' in html

    def test_a_language_nobody_serves_now_is_told_to_the_holder(self, citas: Citas) -> None:
        # given: a booking in Quechua; the counter that spoke it now speaks Spanish only
        quechua = make_counter(
            citas.center, citas.personas.reniec, 12, [citas.service], languages=["es", "qu"]
        )
        slot = slot_at(citas, lima(DAY, 10, 10))
        booking = actions.book(
            slot.pk,
            citas.service,
            document_type="dni",
            document_number=DNI,
            email="ana@example.pe",
            attention_language="qu",
        )
        Counter.objects.filter(pk=quechua.pk).update(languages=["es"])
        cache.clear()

        # when
        status, shown, html = page(booking)

        # then
        assert status == 200
        assert (
            "Por ahora ningún módulo de Centro MAC Lima Norte atiende «Duplicado del DNI» en"
            " quechua: el centro no podrá atender tu cita. Puedes anularla y reservar otra (en"
            " castellano siempre te atienden, o en otro Centro MAC); si no, el centro la anulará"
            " y te avisará."
        ) in shown
        assert 'name="horario"' not in html
        assert "Anular mi cita" in shown

    def test_a_closed_day_is_told_and_another_day_offered(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, lima(DAY, 10, 10)))
        OpeningException.objects.create(
            center=citas.center, date=DAY, closed=True, reason="Simulacro de sismo"
        )
        cache.clear()

        status, shown, html = page(booking)

        assert status == 200
        assert (
            "El miércoles 2 de diciembre de 2026, a la hora de tu cita, Centro MAC Lima Norte"
            " no atenderá: el centro no podrá atenderte. Elige otro horario o anula tu cita; si"
            " no, el centro la anulará y te avisará."
        ) in shown
        # the day picker opens on the first open day with free slots: today's
        assert 'name="horario"' in html
        assert 'value="2026-12-01"' in html
        assert "Anular mi cita" in shown

    def test_a_service_no_longer_offered_is_told_to_the_holder(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, lima(DAY, 10, 10)))
        citas.service.offers.filter(center=citas.center).update(active=False)
        cache.clear()

        status, shown, html = page(booking)

        assert status == 200
        assert (
            "Centro MAC Lima Norte ya no ofrece «Duplicado del DNI»: el centro no podrá atender"
            " tu cita. Puedes anularla y reservar otra en otro Centro MAC; si no, el centro la"
            " anulará y te avisará."
        ) in shown
        assert 'name="horario"' not in html

    def test_it_says_it_in_quechua_with_the_names_in_spanish(self, citas: Citas) -> None:
        booking = book_directly(citas, slot_at(citas, lima(DAY, 10, 10)))
        Counter.objects.filter(center=citas.center).update(active=False)
        cache.clear()
        browser: Client = manage_client(booking)
        browser.post(reverse("set_language"), {"language": "qu", "next": "/citas/"})

        html = browser.get(reverse("appointments:manage_booking")).content.decode()

        assert (
            'Kunanqa <span lang="es">Centro MAC Lima Norte</span>-pi manam mayqin módulopas'
            ' «<span lang="es">Duplicado del DNI</span>» trámiteta atiendenchu: centroqa manam'
            " citaykipi atiendesunkichu. Anulaspa huk Centro MAC-pi hukta apartayta atinki; mana"
            " chayqa, centrom anulanqa, willasunkitaq."
        ) in html
        assert "apartayta atinkichu" not in html  # the booking pages' refusal

    def test_a_booking_the_center_cancelled_says_why_and_where_to_book_again(
        self, citas: Citas
    ) -> None:
        booking = book_directly(citas, slot_at(citas, lima(DAY, 10, 10)))
        Counter.objects.filter(center=citas.center).update(active=False)
        cache.clear()
        actions.cancel_by_center(booking.code, by=None)

        status, shown, html = page(booking)

        assert status == 200
        assert (
            "El centro anuló esta cita porque no podía atenderla: por ahora el centro no atiende"
            " este trámite. Reservar otra cita"
        ) in shown
        assert f'href="/citas/?servicio={citas.service.pk}"' in html
        assert "Anular mi cita" not in shown
