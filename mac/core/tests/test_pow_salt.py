"""A proof-of-work solution counts once: its salt (which carries the expiry)
cannot be changed by moving digits between it and the number."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from mac.core import pow

NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
BOOK = pow.Purpose.APPOINTMENTS

pytestmark = pytest.mark.django_db


def shifted(payload: str, digits: int) -> str:
    """The same solution with `digits` leading digits of the number moved to the salt."""
    data = json.loads(base64.b64decode(payload))
    number = str(data["number"])
    data["salt"] += number[:digits]
    data["number"] = int(number[digits:])
    return base64.b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize("digits", [1, 2, 3])
def test_a_solution_with_digits_moved_into_the_salt_is_forged(digits: int) -> None:
    # given: a solved challenge whose number has five digits
    payload = pow.solve(
        pow.new_challenge(purpose=BOOK, max_number=99_999, seconds=300, now=NOW, number=45_678)
    )
    pow.verify(payload, purpose=BOOK, now=NOW)

    # when / then: the same hash with another salt is refused, never a server error
    with pytest.raises(pow.PowError, match="forged"):
        pow.verify(shifted(payload, digits), purpose=BOOK, now=NOW)


def test_the_solution_itself_counts_once() -> None:
    payload = pow.solve(
        pow.new_challenge(purpose=BOOK, max_number=99_999, seconds=300, now=NOW, number=45_678)
    )
    pow.verify(payload, purpose=BOOK, now=NOW)
    with pytest.raises(pow.PowError, match="replayed"):
        pow.verify(payload, purpose=BOOK, now=NOW)
