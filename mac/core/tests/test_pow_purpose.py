"""A proof of work is bound to the purpose its challenge was served for: any
other purpose finds it forged, before spending it, so it still counts once
for its own."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from mac.core import pow
from mac.core.models import SpentChallenge

NOW = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("served", "checked"), list(itertools.permutations(pow.Purpose, 2)), ids=str
)
def test_another_purpose_finds_it_forged_and_spends_nothing(
    served: pow.Purpose, checked: pow.Purpose
) -> None:
    payload = pow.solve(
        pow.new_challenge(purpose=served, max_number=999, seconds=1800, now=NOW, number=123)
    )

    with pytest.raises(pow.PowError, match="forged"):
        pow.verify(payload, purpose=checked, now=NOW)
    assert SpentChallenge.objects.count() == 0

    pow.verify(payload, purpose=served, now=NOW)
    assert SpentChallenge.objects.count() == 1
