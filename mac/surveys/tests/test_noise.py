"""The noise on published figures (ADR 0009), on sums built in memory: the
same set of answers always gets the same figures, a set one answer apart
gets an unrelated draw, no sum moves beyond its bound, the figures of 100
answers stay close to the exact ones, and one pair of neighbouring sets
says next to nothing about the answer that tells them apart."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest

from mac.surveys import noise
from mac.surveys.noise import LIMIT, draw, perturb, published
from mac.surveys.questions import DRIVER_CODES
from mac.surveys.stats import Sums, regression, summarise


def answers(rng: random.Random, n: int) -> list[dict[str, Any]]:
    rows = []
    for _ in range(n):
        overall = rng.choice([2, 3, 4, 4, 5, 5, 5])
        rows.append(
            {
                "overall": overall,
                "recommend": min(10, 2 * overall),
                "noise_key": rng.randrange(noise.KEY_LIMIT),
                **{code: rng.choice([3, 4, 5]) for code in DRIVER_CODES},
            }
        )
    return rows


@pytest.fixture
def exact_secret(settings: Any) -> None:
    settings.SURVEYS = {"MIN_SAMPLE": 30, "NOISE": 1.0, "NOISE_SECRET": "pruebas-del-ruido"}


class TestNoise:
    def test_the_same_set_gets_the_same_figures(self, exact_secret: None) -> None:
        rows = answers(random.Random(1), 100)

        once = published(Sums.of(rows), "responses", 30)
        again = published(Sums.of(list(reversed(rows))), "responses", 30)

        assert once == again
        # exactly 100 answers, CSAT 0.73 and a mean of 3.99; the count drew −5,
        # the largest noise it can draw (about one set in a hundred)
        assert once.n == 95 and once.csat is not None
        assert (once.csat.value, once.means["overall"].value) == (
            pytest.approx(75 / 95),
            pytest.approx(401 / 95),
        )

    def test_a_set_one_answer_apart_gets_another_draw(self, exact_secret: None) -> None:
        rows = answers(random.Random(2), 101)
        exact = Sums.of(rows)

        fewer = perturb(Sums.of(rows[:100]), "responses", 1.0)
        more = perturb(exact, "responses", 1.0)
        annual = perturb(exact, "annual", 1.0)

        def noise_of(noisy: Sums, sums: Sums) -> list[int]:
            return [noisy.n - sums.n, noisy.top_two - sums.top_two] + [
                noisy.total[code] - value for code, value in sums.total.items()
            ]

        draws = [
            noise_of(fewer, Sums.of(rows[:100])),
            noise_of(more, exact),
            noise_of(annual, exact),  # another table, another draw
        ]
        assert len({tuple(d) for d in draws}) == 3
        assert more.keys == fewer.keys == 0  # the fingerprint never leaves

    def test_no_sum_moves_beyond_its_bound(self) -> None:
        for scale in (1.0, 4.0, 24.0):
            draws = [draw(f"prueba|{i}", scale) for i in range(3000)]

            assert max(abs(d) for d in draws) <= LIMIT * scale
            assert sum(draws) / len(draws) == pytest.approx(0, abs=scale / 4)
            spread = (sum(d * d for d in draws) / len(draws)) ** 0.5
            assert spread == pytest.approx(noise.variance(scale) ** 0.5, rel=0.1)

    def test_figures_of_a_hundred_answers_stay_close(self, exact_secret: None) -> None:
        rng = random.Random(3)
        errors = []
        for _ in range(200):
            sums = Sums.of(answers(rng, 100))
            exact, noisy = summarise(sums, 30), published(sums, "responses", 30)
            assert noisy.sufficient and exact.csat and noisy.csat
            error = noisy.means["overall"].value - exact.means["overall"].value
            # never beyond (5·4 + 5·5·1) / (100 − 5): the total's and n's bounds
            assert abs(error) <= 45 / 95
            assert abs(noisy.csat.value - exact.csat.value) <= 10 / 95
            errors.append(error)
            # the interval includes the noise: wider than from the same noisy sums alone
            bare = summarise(perturb(sums, "responses", 1.0), 30, weights_min_sample=101)
            bare_mean = bare.means["overall"]
            assert noisy.means["overall"].value == bare_mean.value
            assert (
                noisy.means["overall"].high - noisy.means["overall"].low
                > bare_mean.high - bare_mean.low
            )

        rms = (sum(e * e for e in errors) / len(errors)) ** 0.5
        assert rms < 0.08  # about 6/n; the sampling error of such a mean is about 0.1

    def test_one_pair_of_neighbouring_sets_says_next_to_nothing(self, exact_secret: None) -> None:
        """Two hundred different neighbouring pairs: a set of 100 answers, and
        the same with the target's (overall 1). The attacker's n1·m1 − n0·m0
        is off by several points, and rounds to the score about as often as
        a blind guess among five would."""
        rng = random.Random(4)
        hits, errors = 0, []
        for _ in range(200):
            rows = answers(rng, 100)
            target = {**answers(rng, 1)[0], "overall": 1}
            a = published(Sums.of(rows), "responses", 30)
            b = published(Sums.of([*rows, target]), "responses", 30)

            guess = b.n * b.means["overall"].value - a.n * a.means["overall"].value
            hits += round(guess) == 1
            errors.append(guess - 1)

        rms = (sum(e * e for e in errors) / len(errors)) ** 0.5
        assert rms > 5
        assert hits / 200 < 0.2

    def test_fewer_answers_than_the_minimum_never_show_a_figure(self, exact_secret: None) -> None:
        rng = random.Random(8)
        for n in (0, 1, 29):
            for _ in range(50):
                summary = published(Sums.of(answers(rng, n)), "responses", 30)

                assert (summary.sufficient, summary.n, summary.csat) == (False, 0, None)
        # at the minimum, the noisy count decides: never a count shown below it
        shown = [published(Sums.of(answers(rng, 30)), "responses", 30) for _ in range(50)]
        assert {s.sufficient for s in shown} == {True, False}
        assert all(s.n >= 30 for s in shown if s.sufficient)

    def test_noise_zero_gives_the_exact_figures(self, settings: Any) -> None:
        settings.SURVEYS = {"NOISE": 0}
        sums = Sums.of(answers(random.Random(5), 40))

        assert published(sums, "responses", 30) == summarise(sums, 30, weights_min_sample=3000)

    def test_the_drivers_weights_come_from_3000_answers_with_wider_errors(
        self, exact_secret: None
    ) -> None:
        rng = random.Random(6)
        rows = answers(rng, 2990)

        below = published(Sums.of(rows), "responses", 30)  # the threshold is on the noisy n
        rows += answers(rng, 20)
        at, exact = published(Sums.of(rows), "responses", 30), summarise(Sums.of(rows), 30)

        assert (below.regression, below.regression_note) == (None, "too_few_for_weights")
        assert exact.regression is not None and at.regression is not None
        for noisy, plain in zip(
            at.regression.coefficients, exact.regression.coefficients, strict=True
        ):
            assert noisy.se > plain.se  # the noise of 36 sums of products is in it
            assert abs(noisy.value - plain.value) < 3 * noisy.se

    def test_noisy_sums_no_answers_could_have_give_no_weights(self) -> None:
        rows = answers(random.Random(7), 40)
        sums = Sums.of(rows)
        # a driver's sum of squares below what its total allows: a negative variance
        broken = replace(sums, cross={**sums.cross, ("trust", "trust"): 0})

        assert regression(broken) == (None, "unstable")
