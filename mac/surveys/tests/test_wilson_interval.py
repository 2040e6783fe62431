"""The Wilson score interval of CSAT, against hand computations (z = 1.96,
z² = 3.8416):
  (k + z²/2 ± z·√(k(n−k)/n + z²/4)) / (n + z²)."""

from __future__ import annotations

import pytest

from mac.surveys.stats import wilson


class TestWilsonInterval:
    def test_it_has_a_closed_form_for_no_successes(self) -> None:
        # k = 0: the interval is [0, z²/(n + z²)] = [0, 3.8416/13.8416]
        assert wilson(0, 10) == pytest.approx((0.0, 0.277540), abs=1e-6)

    def test_it_is_symmetric_around_one_half(self) -> None:
        # k = 8, n = 16: (9.9208 ± 1.96·√(4 + 0.9604)) / 19.8416 = (9.9208 ± 4.365303) / 19.8416
        assert wilson(8, 16) == pytest.approx((0.279992, 0.720008), abs=1e-6)

    def test_it_matches_a_hand_computation(self) -> None:
        # k = 27, n = 30: (28.9208 ± 1.96·√(2.7 + 0.9604)) / 33.8416
        #               = (28.9208 ± 3.749906) / 33.8416 = [0.743786, 0.965401]
        assert wilson(27, 30) == pytest.approx((0.743786, 0.965401), abs=1e-6)

    def test_it_stays_within_zero_and_one(self) -> None:
        low, high = wilson(30, 30)
        # k = n = 30: (31.9208 − 1.96·√0.9604) / 33.8416 = 30 / 33.8416; the top is 1
        assert (low, high) == pytest.approx((0.886483, 1.0), abs=1e-6)

    def test_it_refuses_an_empty_sample(self) -> None:
        with pytest.raises(ValueError):
            wilson(0, 0)
