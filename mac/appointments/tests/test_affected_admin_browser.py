"""In a real browser, the coordinator of Centro MAC Lima Norte disables the
only counter of a service in the back office: the change is saved, and the
page warns that two confirmed bookings cannot be attended, with a link to
"Citas que no se podrán atender"; there she sees them with their reason,
selects them and runs "Anular y avisar al ciudadano": both are cancelled and
each citizen gets the notice. Screenshots: docs/screens/citas-afectadas-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from mac.accounts.models import Role
from mac.appointments.models import Booking
from mac.core.testing import PASSWORD, make_user
from mac.core.tests.browser import fresh_page, screenshot
from mac.notify.models import Message
from mac.queueing.models import Counter

from .affected import DAY, at, book, world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["world"]


def test_a_coordinator_is_warned_and_cancels_the_bookings_from_the_list(
    browser: Browser, live_server: LiveServer, world
) -> None:
    # given: two bookings of the service that counter 11 alone serves
    first = book(world.other, at(DAY, 10, 10))
    second = book(world.other, at(DAY, 10, 30))
    book(world.dni, at(DAY, 10, 10))  # attended by another counter
    make_user("cora", Role.CENTER_COORDINATOR, center=world.center, is_staff=True)
    change = f"/admin/queueing/counter/{world.other_counter.pk}/change/"

    with fresh_page(browser) as page:
        page.goto(f"{live_server.url}/admin/login/?next={change}")
        page.get_by_label("Nombre de usuario").fill("cora")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Iniciar sesión").click()

        # when: she disables the counter
        page.get_by_label("Habilitado").uncheck()
        page.get_by_role("button", name="Guardar", exact=True).click()

        # then: it is saved, with the warning and its link
        warning = page.locator(".messagelist .warning")
        expect(warning).to_have_text(
            "Hay 2 citas confirmadas de Centro MAC Lima Norte que no se podrán atender con el"
            " centro configurado así: su registro de llegada se rechazaría. Anúlelas y avise a"
            " los ciudadanos, o corrija la configuración: Citas que no se podrán atender"
        )
        assert Counter.objects.get(pk=world.other_counter.pk).active is False
        screenshot(page, "citas-afectadas-1-aviso.png")

        warning.get_by_role("link", name="Citas que no se podrán atender").click()
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text(first.code)
        expect(rows.nth(0).locator(".field-reason")).to_have_text(
            "Ningún módulo habilitado del centro tiene el trámite entre sus servicios."
        )
        expect(rows.nth(1)).to_contain_text(second.code)
        screenshot(page, "citas-afectadas-2-lista.png")

        # and she cancels both, telling each citizen
        page.locator("#action-toggle").check()
        page.locator("select[name=action]").select_option(label="Anular y avisar al ciudadano")
        page.locator("button[name=index]").click()

        expect(page.locator(".messagelist .success")).to_have_text(
            "Se anularon 2 citas y se avisó a cada ciudadano."
        )
        expect(page.locator("#result_list tbody tr")).to_have_count(0)
        screenshot(page, "citas-afectadas-3-anuladas.png")

    assert (
        sorted(
            Booking.objects.filter(pk__in=[first.pk, second.pk]).values_list(
                "status", "cancelled_by_center"
            )
        )
        == [("cancelled", "service_unstaffed")] * 2
    )
    assert sorted(
        Message.objects.filter(kind="appointment_cancelled_by_center").values_list("ref", flat=True)
    ) == sorted(f"appointments.booking:{b.pk}" for b in (first, second))
