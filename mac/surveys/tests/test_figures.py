"""CSAT, NPS, means and the drivers' weights of a small data set computed
by hand.

The 16 answers are a 2^(7-4) fractional factorial design, run twice: each
driver is 2 or 4 (3 ± 1), and the seven ±1 columns are orthogonal and sum
to 0. So the centred cross products are 16·I and, by hand:
  b_j = Σ x_j·y / 16,  intercept = ȳ − 3·Σ b_j,
  RSS = Σ(y − ȳ)² − 16·Σ b_j²,  s² = RSS / (16 − 8),  se(b_j) = √(s²/16).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import replace
from fractions import Fraction
from typing import Any

import pytest

from mac.queueing.testing import OPEN
from mac.surveys import queries
from mac.surveys.models import Response
from mac.surveys.questions import DRIVER_CODES
from mac.surveys.stats import Sums, regression, summarise
from mac.surveys.testing import World, answered, attend

DESIGN = [
    (a, b, c, a * b, a * c, b * c, a * b * c) for a, b, c in itertools.product([-1, 1], repeat=3)
] * 2
OVERALL = [2, 2, 3, 4, 3, 4, 5, 5, 1, 3, 2, 4, 3, 3, 4, 5]
RECOMMEND = [10, 9, 9, 10, 9, 9, 9, 9, 8, 7, 8, 7, 0, 3, 6, 5]  # 8 promoters, 4 detractors


def rows() -> list[dict[str, Any]]:
    return [
        {
            "overall": y,
            "recommend": r,
            **{code: 3 + x[j] for j, code in enumerate(DRIVER_CODES)},
        }
        for x, y, r in zip(DESIGN, OVERALL, RECOMMEND, strict=True)
    ]


class TestFigures:
    def test_it_computes_csat_nps_and_means_by_hand(self) -> None:
        summary = summarise(Sums.of(rows()), min_sample=16)

        # CSAT: 7 of 16 gave 4 or 5. Wilson with z = 1.96:
        # (7 + z²/2 ± z·√(7·9/16 + z²/4)) / (16 + z²) = (8.9208 ± 4.337715) / 19.8416
        assert summary.csat is not None
        assert summary.csat.value == 7 / 16
        assert summary.csat.low == pytest.approx(0.230984, abs=1e-6)
        assert summary.csat.high == pytest.approx(0.668218, abs=1e-6)
        # NPS: 8 promoters and 4 detractors of 16 → 25 points; scores +1/0/−1 have
        # variance p + d − (p − d)² = 0.75 − 0.0625, so ± 1.96·√(0.6875/16).
        assert summary.nps is not None
        assert summary.nps.value == 25.0
        half = 100 * 1.96 * math.sqrt(0.6875 / 16)
        assert half == pytest.approx(40.628654, abs=1e-6)
        assert (summary.nps.low, summary.nps.high) == pytest.approx((25 - half, 25 + half))
        # Means: overall 53/16; its sample variance is (343/16)/15.
        overall = summary.means["overall"]
        assert overall.value == 53 / 16
        assert overall.high - overall.value == pytest.approx(1.96 * math.sqrt(343 / 240 / 16))
        # Each driver: mean 3, variance 16/15, so 3 ± 1.96·√(1/15) = 3 ± 0.506070.
        for code in DRIVER_CODES:
            mean = summary.means[code]
            assert mean.value == 3
            assert (mean.low, mean.high) == pytest.approx((2.493930, 3.506070), abs=1e-6)

    def test_it_weighs_the_drivers_by_least_squares(self) -> None:
        fit, note = regression(Sums.of(rows()))

        assert note == ""
        assert fit is not None
        assert fit.exact == {
            "kind_treatment": Fraction(11, 16),
            "information": Fraction(11, 16),
            "times": Fraction(7, 16),
            "as_promised": Fraction(1, 16),
            "results": Fraction(-3, 16),
            "accessibility": Fraction(1, 16),
            "trust": Fraction(-1, 16),
        }
        # intercept = 53/16 − 3·27/16 = −7/4; s² = RSS/8 = (5/2)/8 = 5/16
        assert fit.intercept == -1.75
        # se(intercept) = √(s²·(1/16 + 9·7/16)) = √(5/4)
        assert fit.intercept_se == pytest.approx(math.sqrt(5 / 4))
        # R² = 1 − RSS/TSS = 1 − (5/2)/(343/16) = 303/343
        assert fit.r_squared == pytest.approx(303 / 343)
        for coefficient in fit.coefficients:
            assert coefficient.se == pytest.approx(math.sqrt(5) / 16)  # √(5/16 / 16)
            assert coefficient.low == pytest.approx(coefficient.value - 1.96 * math.sqrt(5) / 16)
        # Relative weight: |b| over Σ|b| = 35/16.
        weights = {c.code: c.weight for c in fit.coefficients}
        assert weights["kind_treatment"] == pytest.approx(11 / 35)
        assert weights["trust"] == pytest.approx(1 / 35)

    @pytest.mark.parametrize(
        ("case", "change", "note"),
        [
            ("everyone gave the same overall", {"overall": 4}, "constant_overall"),
            ("one driver never varies", {"trust": 5}, "collinear"),
        ],
    )
    def test_it_says_why_there_is_no_regression(
        self, case: str, change: dict[str, int], note: str
    ) -> None:
        data = [{**row, **change} for row in rows()]

        fit, why = regression(Sums.of(data))

        assert (fit, why) == (None, note)
        assert summarise(Sums.of(data), 16).regression_note == note

    def test_it_needs_more_answers_than_parameters(self) -> None:
        fit, why = regression(Sums.of(rows()[:8]))

        assert (fit, why) == (None, "too_few")

    @pytest.mark.django_db
    def test_it_sums_the_stored_answers_in_the_database(self, world: World) -> None:
        # given: the 16 answers, each about a real attention
        for i, row in enumerate(rows()):
            attention = attend(
                world.reniec_counter,
                world.bob,
                world.dni,
                at=OPEN + dt.timedelta(minutes=15 * i),
            )
            answered(attention, **row)

        # when
        stored = queries.sums(Response.objects.all())

        # then: the same sums, and the sum of the answers' noise keys
        keys = list(Response.objects.values_list("noise_key", flat=True))
        assert stored == replace(Sums.of(rows()), keys=sum(keys))
        assert len(set(keys)) == 16
        assert regression(stored)[0] == regression(Sums.of(rows()))[0]
