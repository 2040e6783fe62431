"""The back office shows the bookings the center cannot attend where the
coordinators already work: the bookings list's filter "Citas que no se
podrán atender" with each one's reason, and the bulk action "Anular y avisar
al ciudadano". A change of a counter, of a center's hours or exceptions, of
the declared non-working days, or of a service's offers that leaves such
bookings is saved (the
counter may really be gone) with a warning that counts them and links to
the list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from mac.accounts.models import Role
from mac.appointments.admin import affected_url
from mac.appointments.models import Booking
from mac.core.models import NonWorkingDay
from mac.core.testing import admin_form_data, make_user
from mac.notify.models import Message
from mac.queueing.models import Counter

from .affected import DAY, NEXT_DAY, at, back_office, book, world

pytestmark = pytest.mark.django_db
__all__ = ["back_office", "world"]
BOOKINGS = reverse("admin:appointments_booking_changelist")


@pytest.fixture
def cora(world):
    """Coordinator of Centro MAC Lima Norte."""
    return make_user("cora", Role.CENTER_COORDINATOR, center=world.center, is_staff=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m.message)) for m in get_messages(response.wsgi_request)]


def warning(count: int, bookings: str, center_id: int) -> tuple[str, str]:
    return (
        "warning",
        f"Hay {count} {bookings} de Centro MAC Lima Norte que no se"
        f" {'podrá' if count == 1 else 'podrán'} atender con el centro configurado así: su"
        " registro de llegada se rechazaría. Anúlelas y avise a los ciudadanos, o corrija la"
        f' configuración: <a href="{affected_url(center_id).replace("&", "&amp;")}">Citas que'
        " no se podrán atender</a>",
    )


class TestAffectedList:
    def test_it_lists_the_centers_affected_bookings_with_their_reason(
        self, world, back_office, cora, personas
    ):
        unstaffed = book(world.other, at(DAY, 10, 10))
        closed = book(world.dni, at(NEXT_DAY, 9, 10))
        fine = book(world.dni, at(DAY, 10, 10))
        back_office.disable(world.other_counter)
        back_office.close(world.center, NEXT_DAY, "Simulacro de sismo")

        response = signed_in(cora).get(BOOKINGS, {"atencion": "no"})

        assert response.status_code == 200
        rows = response.context["cl"].result_list
        assert [b.code for b in rows] == [unstaffed.code, closed.code]
        body = response.content.decode()
        assert [
            text.strip() for text in re.findall(r'<td class="field-reason">(.*?)</td>', body)
        ] == [
            "Ningún módulo habilitado del centro tiene el trámite entre sus servicios.",
            "El centro cierra ese día: Simulacro de sismo.",
        ]
        assert unstaffed.document_number not in body
        assert unstaffed.email not in body
        # the whole list still has every booking
        everything = signed_in(cora).get(BOOKINGS).context["cl"].result_list
        assert {b.code for b in everything} == {unstaffed.code, closed.code, fine.code}

    def test_a_coordinator_sees_only_her_centers_bookings(self, world, back_office, personas):
        book(world.other, at(DAY, 10, 10))
        back_office.disable(world.other_counter)
        elsewhere = make_user(
            "aqp", Role.CENTER_COORDINATOR, center=personas.arequipa, is_staff=True
        )

        response = signed_in(elsewhere).get(BOOKINGS, {"atencion": "no"})

        assert list(response.context["cl"].result_list) == []

    def test_other_roles_have_no_bookings_list(self, world, personas):
        for user in (personas.carol, personas.dave):
            assert signed_in(user).get(BOOKINGS).status_code == 403

    def test_the_bulk_action_cancels_and_tells_each_citizen(self, world, back_office, cora):
        first = book(world.other, at(DAY, 10, 10))
        second = book(world.other, at(DAY, 10, 30))
        back_office.disable(world.other_counter)

        response = signed_in(cora).post(
            affected_url(world.center.pk),
            {
                "action": "cancel_by_center",
                "_selected_action": [str(first.pk), str(second.pk)],
            },
            follow=True,
        )

        assert response.status_code == 200
        assert shown(response) == [("success", "Se anularon 2 citas y se avisó a cada ciudadano.")]
        assert list(
            Booking.objects.order_by("pk").values_list("status", "cancelled_by_center")
        ) == [("cancelled", "service_unstaffed"), ("cancelled", "service_unstaffed")]
        assert Message.objects.filter(kind="appointment_cancelled_by_center").count() == 2
        assert list(response.context["cl"].result_list) == []

    def test_the_bulk_action_reports_a_booking_it_could_not_cancel(self, world, back_office, cora):
        affected = book(world.other, at(DAY, 10, 10))
        attended = book(world.dni, at(DAY, 10, 10))
        back_office.disable(world.other_counter)

        response = signed_in(cora).post(
            BOOKINGS,
            {
                "action": "cancel_by_center",
                "_selected_action": [str(affected.pk), str(attended.pk)],
            },
            follow=True,
        )

        assert shown(response) == [
            ("success", "Se anuló 1 cita y se avisó al ciudadano."),
            (
                "error",
                f"No se anuló {attended.code}: El centro puede atender esta cita: no se anula.",
            ),
        ]
        attended.refresh_from_db()
        assert (attended.status, attended.cancelled_by_center) == ("confirmed", "")


class TestWarningsAfterAChange:
    def test_disabling_a_counter_is_saved_with_a_warning(self, world, cora):
        book(world.other, at(DAY, 10, 10))
        book(world.other, at(DAY, 10, 30))
        client = signed_in(cora)
        url = reverse("admin:queueing_counter_change", args=[world.other_counter.pk])
        data = admin_form_data(client.get(url))
        del data["active"]

        response = client.post(url, data, follow=True)

        assert response.status_code == 200
        assert Counter.objects.get(pk=world.other_counter.pk).active is False
        messages = shown(response)
        assert warning(2, "citas confirmadas", world.center.pk) in messages
        assert messages[0][0] == "warning"

    def test_a_change_that_leaves_every_booking_attended_warns_of_nothing(self, world, cora):
        book(world.other, at(DAY, 10, 10))
        client = signed_in(cora)
        url = reverse("admin:queueing_counter_change", args=[world.dni_counter.pk])
        data = admin_form_data(client.get(url))
        del data["active"]

        response = client.post(url, data, follow=True)

        assert [level for level, _text in shown(response)] == ["success"]

    def test_closing_a_day_is_saved_with_a_warning(self, world, cora):
        book(world.dni, at(DAY, 10, 10))
        client = signed_in(cora)
        url = reverse("admin:centers_center_change", args=[world.center.pk])
        data = admin_form_data(client.get(url))
        data["exceptions-TOTAL_FORMS"] = "1"
        data.update(
            {
                "exceptions-0-date": DAY.isoformat(),
                "exceptions-0-closed": "on",
                "exceptions-0-reason": "Simulacro de sismo",
                "exceptions-0-center": str(world.center.pk),
            }
        )

        response = client.post(url, data, follow=True)

        assert response.status_code == 200
        assert world.center.hours_on(DAY) == []
        assert warning(1, "cita confirmada", world.center.pk) in shown(response)

    def test_shortening_the_weekly_hours_is_saved_with_a_warning(self, world, cora):
        book(world.dni, at(DAY, 9, 10))
        late = book(world.dni, at(DAY, 10, 10))
        client = signed_in(cora)
        url = reverse("admin:centers_center_change", args=[world.center.pk])
        data = admin_form_data(client.get(url))
        wednesday = next(
            key[: -len("weekday")]
            for key, value in data.items()
            if key.startswith("hours-") and key.endswith("-weekday") and value == "2"
        )
        data[f"{wednesday}closes"] = "10:00"

        response = client.post(url, data, follow=True)

        assert response.status_code == 200
        assert world.center.weekly_hours_on(DAY) == [(dt.time(8, 30), dt.time(10, 0))]
        assert warning(1, "cita confirmada", world.center.pk) in shown(response)
        listed = signed_in(cora).get(affected_url(world.center.pk))
        assert [b.code for b in listed.context["cl"].result_list] == [late.code]

    def test_declaring_a_non_working_day_is_saved_with_a_warning(self, world, personas):
        book(world.dni, at(DAY, 10, 10))
        client = signed_in(personas.alice)

        response = client.post(
            reverse("admin:core_nonworkingday_add"),
            {"date": DAY.isoformat(), "name": "Día no laborable compensable", "legal_basis": ""},
            follow=True,
        )

        assert response.status_code == 200
        assert NonWorkingDay.objects.get().date == DAY
        assert warning(1, "cita confirmada", world.center.pk) in shown(response)

    def test_making_the_offer_inactive_is_saved_with_a_warning(self, world, personas):
        book(world.dni, at(DAY, 10, 10))
        client = signed_in(personas.alice)
        url = reverse("admin:catalog_service_change", args=[world.dni.pk])
        data = admin_form_data(client.get(url))
        (active,) = [key for key in data if re.fullmatch(r"offers?-0-active", key)]
        del data[active]  # the box unticked

        response = client.post(url, data, follow=True)

        assert response.status_code == 200
        assert world.dni.offers.get(center=world.center).active is False
        assert warning(1, "cita confirmada", world.center.pk) in shown(response)

    def test_the_link_opens_the_list(self, world, back_office, cora):
        booking = book(world.dni, at(DAY, 10, 10))
        back_office.close(world.center, DAY)

        response = signed_in(cora).get(affected_url(world.center.pk))

        assert [b.code for b in response.context["cl"].result_list] == [booking.code]
