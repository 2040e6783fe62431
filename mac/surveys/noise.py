"""Deterministic noise on the sums behind every published survey figure, so
that two selections a citizen apart do not give that citizen's answer away
(ADR 0009).

Every answer carries a random `noise_key` (drawn once, never shown). The
sums of a set of answers (mac/surveys/stats.py `Sums`) are published only
after each one gets a whole-number noise, drawn from a discrete Laplace
(two-sided geometric) distribution whose scale is the most one answer can
change that sum, times the NOISE setting: 1 for a count, 4 for a total of
1-5 scores, 24 for a sum of products of two scores. The draw is an HMAC of
the set's fingerprint (how many answers and the sum of their keys) and the
sum's name: the same answers asked twice, by any filters, get the very same
figures (asking again and averaging gains nothing), while a set with one
answer more or less gets an unrelated draw. A draw beyond LIMIT scales is
drawn again, so no sum ever moves by more than LIMIT·scale.

Every figure (n, CSAT, NPS, the means, their intervals, the drivers'
weights) is computed from the noisy sums, then clamped to what is possible
(a count between 0 and n, a mean between 1 and 5)."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.crypto import salted_hmac

from mac.surveys.conf import conf
from mac.surveys.questions import SCALE_MAX, SCALE_MIN
from mac.surveys.stats import NoiseVariances, Summary, Sums, summarise

KEY_LIMIT = 2**31  # record keys are 0 .. 2^31-1: a sum of a billion fits in 64 bits
LIMIT = 5  # no noise goes beyond 5 scales (a redraw beyond it: P ≈ e^-5 ≈ 0.7%)

# How much one answer can change each kind of sum.
COUNT_RANGE = 1
TOTAL_RANGE = SCALE_MAX - SCALE_MIN  # 4
PRODUCT_RANGE = SCALE_MAX * SCALE_MAX - SCALE_MIN * SCALE_MIN  # 24

# Where record keys come from; tests swap in a seeded random.Random.
KEYS: random.Random = random.SystemRandom()


def record_key() -> int:
    """A new answer's key (the model field's default)."""
    return KEYS.randrange(KEY_LIMIT)


@dataclass(frozen=True)
class Scales:
    """The noise scale of each kind of sum (0: no noise)."""

    count: float
    total: float
    product: float

    @classmethod
    def of(cls, noise: float) -> Scales:
        return cls(noise * COUNT_RANGE, noise * TOTAL_RANGE, noise * PRODUCT_RANGE)


def variance(scale: float) -> float:
    """The variance of a discrete Laplace number of this scale (an upper
    bound for the truncated draw)."""
    if scale <= 0:
        return 0.0
    alpha = math.exp(-1 / scale)
    return 2 * alpha / (1 - alpha) ** 2


def _uniforms(message: str) -> Iterator[float]:
    """An endless stream of numbers in (0, 1), a keyed function of `message`."""
    secret = conf("NOISE_SECRET") or settings.SECRET_KEY
    block = 0
    while True:
        digest = salted_hmac(
            "mac.surveys.noise", f"{message}|{block}", secret=secret, algorithm="sha256"
        ).digest()
        for i in range(0, len(digest), 8):
            yield (int.from_bytes(digest[i : i + 8], "big") + 0.5) / 2**64
        block += 1


def draw(message: str, scale: float) -> int:
    """A discrete Laplace number of this scale, within ±LIMIT·scale: the
    difference of two geometric numbers, a keyed function of `message`."""
    if scale <= 0:
        return 0
    log_alpha = -1 / scale
    uniforms = _uniforms(message)
    while True:
        first = math.floor(math.log(next(uniforms)) / log_alpha)
        second = math.floor(math.log(next(uniforms)) / log_alpha)
        value = first - second
        if abs(value) <= LIMIT * scale:
            return value


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def perturb(sums: Sums, namespace: str, noise: float) -> Sums:
    """`sums` with each sum moved by its deterministic noise. `namespace`
    keeps the platform's answers and the annual survey's apart."""
    if noise <= 0:
        return sums
    scales = Scales.of(noise)
    fingerprint = f"{namespace}|{sums.n}|{sums.keys}"

    def noisy(name: str, value: int, scale: float) -> int:
        return value + draw(f"{fingerprint}|{name}", scale)

    n = max(noisy("n", sums.n, scales.count), 0)
    nps_n = _clamp(noisy("nps_n", sums.nps_n, scales.count), 0, n)
    promoters = _clamp(noisy("promoters", sums.promoters, scales.count), 0, nps_n)
    return replace(
        sums,
        n=n,
        top_two=_clamp(noisy("top_two", sums.top_two, scales.count), 0, n),
        nps_n=nps_n,
        promoters=promoters,
        detractors=_clamp(noisy("detractors", sums.detractors, scales.count), 0, nps_n - promoters),
        total={
            code: _clamp(noisy(f"t_{code}", value, scales.total), SCALE_MIN * n, SCALE_MAX * n)
            for code, value in sums.total.items()
        },
        cross={
            (a, b): _clamp(
                noisy(f"x_{a}_{b}", value, scales.product),
                SCALE_MIN * SCALE_MIN * n,
                SCALE_MAX * SCALE_MAX * n,
            )
            for (a, b), value in sums.cross.items()
        },
        keys=0,  # the fingerprint is not a figure
    )


def variances(noise: float) -> NoiseVariances:
    scales = Scales.of(noise)
    return NoiseVariances(variance(scales.count), variance(scales.total), variance(scales.product))


def published(sums: Sums, namespace: str, min_sample: int) -> Summary:
    """The figures of `sums` as they may leave the server: from the noisy
    sums, with intervals that include the noise. Figures need MIN_SAMPLE
    answers, and the noisy count must reach it too (the count shown is
    never below the minimum)."""
    if sums.n < max(min_sample, 1):
        # Too few real answers, whatever the noisy count would say; and no
        # count at all (nothing below the minimum is shown, not even n).
        return Summary(n=0, min_sample=min_sample, sufficient=False)
    noise = float(conf("NOISE"))
    return summarise(
        perturb(sums, namespace, noise),
        min_sample,
        noise=variances(noise),
        weights_min_sample=conf("WEIGHTS_MIN_SAMPLE"),
    )
