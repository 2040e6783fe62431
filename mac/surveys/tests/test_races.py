"""One answer per attention under real concurrency on PostgreSQL: many
connections answer the same link (and offer the same attention) at once;
one answer is stored, every other request is refused. SQLite has one writer
at a time: no race to prove there."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from mac.core.testing import make_personas
from mac.core.testing import race as shared_race
from mac.surveys import actions
from mac.surveys.errors import SurveyError
from mac.surveys.models import Invitation, Response
from mac.surveys.testing import GOOD, attend, build_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has a single writer"
    ),
]
LANES = 12


def race(work: Callable[[int], Any]) -> list[Any]:
    """work(i) on LANES connections released together; each result is the
    return value or the SurveyError's code."""
    return shared_race(LANES, work, lanes=LANES, refused=(SurveyError,))


class TestRaces:
    def test_one_link_answered_at_once_stores_one_answer(self) -> None:
        world = build_world(make_personas())
        attention = attend(world.reniec_counter, world.bob, world.dni)
        token = actions.offer(attention).token

        results = race(lambda i: actions.answer(token, {**GOOD, "overall": 1 + i % 5}).pk)

        stored = Response.objects.get()
        tally = Tally(r if isinstance(r, str) else "stored" for r in results)
        assert tally == {"stored": 1, "already_answered": LANES - 1}
        assert stored.pk in results

    def test_one_attention_offered_at_once_gets_one_invitation(self) -> None:
        world = build_world(make_personas())
        attention = attend(world.reniec_counter, world.bob, world.dni)

        results = race(lambda i: actions.offer(attention).token)

        assert len(set(results)) == 1
        assert Invitation.objects.get().token == results[0]
