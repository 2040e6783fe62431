"""A citizen who asked for notices in Quechua gets the appointment's date in
Quechua too, not Spanish names inside a Quechua sentence."""

import datetime as dt

import pytest

from mac.appointments import actions
from mac.appointments.testing import DNI
from mac.notify import sms
from mac.notify.testing import run_tasks

pytestmark = pytest.mark.django_db


def test_a_quechua_confirmation_gives_the_date_in_quechua(
    setup, settings, django_capture_on_commit_callbacks
):
    # given
    settings.SITE_URL = "https://mac.gob.pe"
    slot = actions.open_day(setup.center, setup.service, dt.date(2026, 12, 3))[3]  # 09:30

    # when
    with django_capture_on_commit_callbacks(execute=True):
        booking = actions.book(
            slot.pk,
            setup.service,
            document_type="dni",
            document_number=DNI,
            phone="987654321",
            language="qu",
        )
    run_tasks()

    # then
    (text,) = [m.message for m in sms.outbox]
    assert "Illapachaw 3 Qhapaq raymi killa 2026, 09:30, Centro MAC Lima Norte" in text
    assert text.startswith(f"MAC: {booking.code} citayki takyachisqañam: Illapachaw 3 ")
