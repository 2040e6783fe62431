"""A freed place is offered only to someone waiting whose language of
attention an active counter of the center serves the service in (Spanish
always): the booking offered would otherwise be one that check-in refuses.
The center cancels a booking whose language nobody serves any more
(`cancel_by_center`) and offers its place to the waitlist; those who wait
for that same language are skipped and stay waiting, and are offered a
place freed once a counter serves their language again."""

from __future__ import annotations

import pytest

from mac.appointments import actions
from mac.appointments.models import Slot, WaitlistEntry
from mac.queueing import actions as queue

from .affected import DAY, at, back_office, book, world

pytestmark = pytest.mark.django_db
__all__ = ["back_office", "world"]


def wait(world, number: str, attention: str) -> WaitlistEntry:
    return actions.join_waitlist(
        world.center,
        world.dni,
        DAY,
        document_type="dni",
        document_number=number,
        email=f"{number}@example.pe",
        attention_language=attention,
    )


def state(entry: WaitlistEntry) -> tuple:
    entry.refresh_from_db()
    offer = entry.booking
    if offer is None:
        return entry.status, None
    return entry.status, (offer.status, offer.slot_id, offer.attention_language)


def test_it_skips_who_waits_for_a_language_nobody_serves_now(world, back_office):
    # given: a booking in Quechua; first in line waits in Quechua, then one in Spanish
    booking = book(world.dni, at(DAY, 10, 10), attention="qu")
    in_quechua = wait(world, "40506070", "qu")
    in_spanish = wait(world, "40506080", "es")
    back_office.speak_only_spanish(world.quechua_counter)

    # when: the center cancels the booking (its language was the trouble)
    actions.cancel_by_center(booking.code, by=None)

    # then: the place goes to the Spanish speaker; the Quechua speaker still waits
    assert state(in_spanish) == ("offered", ("held", booking.slot_id, "es"))
    assert state(in_quechua) == ("waiting", None)
    assert Slot.objects.get(pk=booking.slot_id).taken == 1


def test_who_is_skipped_is_offered_a_place_once_their_language_is_served(
    world, back_office, django_capture_on_commit_callbacks
):
    # given: only a Quechua speaker waits when the center cancels the Quechua booking
    booking = book(world.dni, at(DAY, 10, 10), attention="qu")
    other = book(world.dni, at(DAY, 10, 30))
    in_quechua = wait(world, "40506070", "qu")
    back_office.speak_only_spanish(world.quechua_counter)

    actions.cancel_by_center(booking.code, by=None)

    # then: nobody is offered the place, which stays free
    assert state(in_quechua) == ("waiting", None)
    assert Slot.objects.get(pk=booking.slot_id).taken == 0

    # when: a counter speaks Quechua again, and another booking of the day is cancelled
    counter = world.quechua_counter
    counter.languages = ["es", "qu"]
    with django_capture_on_commit_callbacks(execute=True):
        queue.save_counter(counter, by=None, changed_fields=["languages"])
    actions.cancel(other.code, document_type="dni", document_number=other.document_number)

    # then: the Quechua speaker is offered it, in Quechua
    assert state(in_quechua) == ("offered", ("held", other.slot_id, "qu"))
