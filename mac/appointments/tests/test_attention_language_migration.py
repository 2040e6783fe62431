"""The migration that adds the language of attention keeps an existing
booking's (and waitlist entry's) language as its language of attention where
an active counter of its center serves its service in it, else Spanish."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from mac.appointments import actions
from mac.appointments.models import Booking, WaitlistEntry
from mac.appointments.testing import DNI, OTHER_DNI, agenda
from mac.queueing import cache
from mac.queueing.models import Counter
from mac.queueing.testing import make_counter, queue_service

pytestmark = pytest.mark.django_db
migration = importlib.import_module("mac.appointments.migrations.0002_attention_language")
DAY = dt.date(2026, 12, 2)


def book(service, slot, number: str, email: str) -> Booking:
    return actions.book(slot.pk, service, document_type="dni", document_number=number, email=email)


def test_it_keeps_a_served_language_and_falls_back_to_spanish(setup):
    # given: a service that a Quechua-speaking counter serves, and the
    # world's service, whose counter that spoke Quechua is disabled
    served = queue_service(setup.personas.reniec, "Rectificación de datos", setup.center)
    agenda(setup.center, served)
    make_counter(setup.center, setup.personas.reniec, 2, [served], languages=["es", "qu"])
    gone = make_counter(
        setup.center, setup.personas.reniec, 3, [setup.service], languages=["es", "qu"]
    )
    Counter.objects.filter(pk=gone.pk).update(active=False)
    cache.clear()
    first, second = actions.open_day(setup.center, setup.service, DAY)[:2]
    unserved = book(setup.service, first, DNI, "a@x.pe")
    spanish = book(setup.service, second, OTHER_DNI, "b@x.pe")
    kept = book(served, actions.open_day(setup.center, served, DAY)[0], "40506071", "c@x.pe")
    actions.join_waitlist(
        setup.center,
        served,
        DAY,
        document_type="dni",
        document_number="41234567",
        email="d@x.pe",
    )
    # as before the migration: one language, the notices' and the attention's
    Booking.objects.filter(pk__in=[unserved.pk, kept.pk]).update(language="qu")
    WaitlistEntry.objects.update(language="qu")

    # when
    migration.keep_served_languages(apps, None)

    # then
    assert dict(Booking.objects.values_list("pk", "attention_language")) == {
        unserved.pk: "es",
        spanish.pk: "es",
        kept.pk: "qu",
    }
    assert WaitlistEntry.objects.get().attention_language == "qu"
