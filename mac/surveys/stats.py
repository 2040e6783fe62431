"""The figures of a set of answers, from their sufficient statistics.

Everything here is computed from sums that the database adds up in one query
(`Sums`; mac/surveys/queries.py): counts, the total and the sum of squares
of each score, and the cross products of the scores. So the figures of ten
million answers cost one aggregate, and tests build the same sums from a
handful of rows (`Sums.of`).

- CSAT: share of answers with overall satisfaction 4 or 5 (top two boxes),
  with the Wilson score interval.
- NPS: % promoters (9-10) minus % detractors (0-6), in points from -100 to
  100; normal interval of the mean of +1/0/-1 scores.
- Means of overall satisfaction and of each driver, normal interval.
- Weights of the drivers: ordinary least squares of overall satisfaction on
  the seven drivers (with an intercept). The normal equations are solved on
  centred sums in exact rational arithmetic (7x7), so a singular design is
  detected exactly; standard errors are sqrt(s² (X'X)⁻¹), s² = RSS/(n-8).

All intervals are 95% with z = 1.96 (normal approximation: the minimum
sample keeps n at 30 or more by default, where t and z differ by under 4%).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations_with_replacement

from django.utils.translation import gettext_lazy as _

from mac.surveys.questions import (
    DETRACTOR,
    DRIVER_CODES,
    PROMOTER,
    SCALE_MAX,
    SCALE_MIN,
    SCORE_CODES,
    TOP_TWO,
)

Z95 = 1.96
PARAMETERS = len(DRIVER_CODES) + 1  # the drivers and the intercept


def pairs(codes: list[str] = SCORE_CODES) -> list[tuple[str, str]]:
    """The (a, b) pairs whose cross product sums are kept, a before b."""
    return list(combinations_with_replacement(codes, 2))


@dataclass(frozen=True)
class Sums:
    """Sufficient statistics of a set of answers."""

    n: int
    top_two: int = 0
    nps_n: int = 0
    promoters: int = 0
    detractors: int = 0
    total: Mapping[str, int] = field(default_factory=dict)
    # Σ a·b for every pair of SCORE_CODES (squares included); empty when
    # only counts and means were asked for.
    cross: Mapping[tuple[str, str], int] = field(default_factory=dict)
    # The sum of the answers' noise keys: with n, the set's fingerprint
    # (mac/surveys/noise.py); never a figure.
    keys: int = 0

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, int | None]]) -> Sums:
        """The sums of rows given as dicts of scores (and "recommend")."""
        rows = list(rows)
        recommends = [r["recommend"] for r in rows if r.get("recommend") is not None]
        return cls(
            n=len(rows),
            top_two=sum(1 for r in rows if (r["overall"] or 0) >= TOP_TWO),
            nps_n=len(recommends),
            promoters=sum(1 for v in recommends if v is not None and v >= PROMOTER),
            detractors=sum(1 for v in recommends if v is not None and v <= DETRACTOR),
            total={c: sum(int(r[c] or 0) for r in rows) for c in SCORE_CODES},
            cross={(a, b): sum(int(r[a] or 0) * int(r[b] or 0) for r in rows) for a, b in pairs()},
            keys=sum(int(r.get("noise_key") or 0) for r in rows),
        )

    def product(self, a: str, b: str) -> int:
        return self.cross[(a, b)] if (a, b) in self.cross else self.cross[(b, a)]


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Coefficient:
    code: str
    value: float
    se: float
    low: float
    high: float
    weight: float | None  # |b| over the sum of |b| of the seven drivers


@dataclass(frozen=True)
class Regression:
    n: int
    intercept: float
    intercept_se: float
    coefficients: list[Coefficient]
    r_squared: float
    exact: dict[str, Fraction]  # the coefficients as exact fractions (tests, exports)


@dataclass(frozen=True)
class Summary:
    n: int
    min_sample: int
    sufficient: bool
    csat: Estimate | None = None
    nps: Estimate | None = None
    nps_n: int = 0
    means: dict[str, Estimate] = field(default_factory=dict)
    regression: Regression | None = None
    regression_note: str = ""  # why there is no regression: a key of REGRESSION_NOTES
    weights_min_sample: int = 0


# -- Intervals ----------------------------------------------------------------


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion."""
    if n <= 0:
        raise ValueError("wilson() needs n > 0")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class NoiseVariances:
    """The variance of the noise on each kind of sum (mac/surveys/noise.py);
    all 0 for exact sums. Intervals add it to the sampling variance."""

    count: float = 0.0
    total: float = 0.0
    product: float = 0.0


EXACT = NoiseVariances()


def _ratio_noise(value: float, numerator: float, denominator: float, n: int) -> float:
    """The variance a noisy numerator and a noisy count add to a ratio, to
    first order: (Var e_num + ratio²·Var e_n) / n²."""
    return (numerator + value * value * denominator) / (n * n)


def csat(sums: Sums, noise: NoiseVariances = EXACT) -> Estimate:
    value = sums.top_two / sums.n
    low, high = wilson(sums.top_two, sums.n)
    extra = Z95 * Z95 * _ratio_noise(value, noise.count, noise.count, sums.n)
    if extra:
        low = max(0.0, value - math.sqrt((value - low) ** 2 + extra))
        high = min(1.0, value + math.sqrt((high - value) ** 2 + extra))
    return Estimate(value, low, high)


def nps(sums: Sums, noise: NoiseVariances = EXACT) -> Estimate | None:
    """NPS in points; each answer scores +1 (9-10), 0 (7-8) or -1 (0-6)."""
    n = sums.nps_n
    if n == 0:
        return None
    p, d = sums.promoters / n, sums.detractors / n
    value = p - d
    variance = (p + d - value * value) / n
    variance += _ratio_noise(value, 2 * noise.count, noise.count, n)
    half = Z95 * math.sqrt(max(variance, 0.0))
    return Estimate(100 * value, 100 * max(value - half, -1.0), 100 * min(value + half, 1.0))


def mean(sums: Sums, code: str, noise: NoiseVariances = EXACT) -> Estimate:
    n = sums.n
    total, squares = sums.total[code], sums.product(code, code)
    value = total / n
    if n < 2:
        return Estimate(value, value, value)
    variance = float(Fraction(squares) - Fraction(total * total, n)) / (n - 1)
    extra = _ratio_noise(value, noise.total, noise.count, n)
    half = Z95 * math.sqrt(max(variance, 0.0) / n + extra)
    if not extra:
        return Estimate(value, value - half, value + half)
    # A noisy interval of a small sample may reach past the scale: cut it.
    return Estimate(value, max(value - half, SCALE_MIN), min(value + half, SCALE_MAX))


# -- Regression -----------------------------------------------------------------


def _inverse(matrix: list[list[Fraction]]) -> list[list[Fraction]] | None:
    """The inverse by Gauss-Jordan elimination, or None when singular."""
    size = len(matrix)
    work = [row[:] + [Fraction(int(i == j)) for j in range(size)] for i, row in enumerate(matrix)]
    for col in range(size):
        pivot = next((r for r in range(col, size) if work[r][col] != 0), None)
        if pivot is None:
            return None
        work[col], work[pivot] = work[pivot], work[col]
        head = work[col][col]
        work[col] = [value / head for value in work[col]]
        for r in range(size):
            if r != col and work[r][col] != 0:
                factor = work[r][col]
                work[r] = [a - factor * b for a, b in zip(work[r], work[col], strict=True)]
    return [row[size:] for row in work]


def _positive_definite(matrix: list[list[Fraction]]) -> bool:
    """Sylvester's criterion by elimination without row swaps: every pivot
    (a ratio of leading principal minors) is positive. Centred cross products
    of real answers always are (or are singular); noisy ones may not be."""
    work = [row[:] for row in matrix]
    size = len(work)
    for col in range(size):
        head = work[col][col]
        if head <= 0:
            return False
        for r in range(col + 1, size):
            factor = work[r][col] / head
            work[r] = [a - factor * b for a, b in zip(work[r], work[col], strict=True)]
    return True


# Why a sufficient sample has no regression, for the results page.
REGRESSION_NOTES = {
    "too_few": _("Hacen falta más respuestas que parámetros (8) para estimar los pesos."),
    "constant_overall": _(
        "Todas las respuestas dieron la misma satisfacción general: no hay nada que explicar."
    ),
    "collinear": _(
        "Algún factor no varía o es combinación de otros: sus pesos no se pueden separar."
    ),
    # Only on noisy sums (mac/surveys/noise.py): exact ones never get here.
    "unstable": _("Con estas respuestas los pesos no se pueden estimar con precisión."),
    "too_few_for_weights": _(
        "Los pesos se muestran desde %(min)s respuestas: con menos, el ruido que protege "
        "el anonimato de quienes responden los taparía."
    ),
}


def regression_note(summary: Summary) -> str:
    """Why `summary` has no weights, as a sentence ("" when it has them)."""
    note = REGRESSION_NOTES.get(summary.regression_note)
    if note is None:
        return ""
    return str(note) % {"min": summary.weights_min_sample}


def regression(sums: Sums, noise: NoiseVariances = EXACT) -> tuple[Regression | None, str]:
    """OLS of overall on the drivers, or None and the reason. On noisy sums
    the standard errors add, to first order, what the noise of the centred
    cross products moves the coefficients: Var(δb_i) ≈ v·(1 + Σb²)·Σ_j
    (S⁻¹)_ij², v the noise variance of one centred cross product."""
    n = sums.n
    if len(sums.cross) < len(pairs()):
        return None, ""  # only counts and means were summed (breakdowns)
    if n <= PARAMETERS:
        return None, "too_few"
    xs, y = DRIVER_CODES, "overall"

    def centred(a: str, b: str) -> Fraction:
        return Fraction(sums.product(a, b)) - Fraction(sums.total[a] * sums.total[b], n)

    s_yy = centred(y, y)
    if s_yy == 0:
        return None, "constant_overall"
    if s_yy < 0:
        return None, "unstable"
    s_xx = [[centred(a, b) for b in xs] for a in xs]
    s_xy = [centred(a, y) for a in xs]
    inverse = _inverse(s_xx)
    if inverse is None:
        return None, "collinear"
    if not _positive_definite(s_xx):
        return None, "unstable"  # noisy sums that no set of answers could have
    b = [
        sum((inverse[i][j] * s_xy[j] for j in range(len(xs))), Fraction(0)) for i in range(len(xs))
    ]
    rss = s_yy - sum((b[i] * s_xy[i] for i in range(len(xs))), Fraction(0))
    if rss <= 0:
        return None, "unstable"
    s2 = rss / (n - PARAMETERS)
    means = [Fraction(sums.total[a], n) for a in xs]
    intercept = Fraction(sums.total[y], n) - sum(
        (b[i] * means[i] for i in range(len(xs))), Fraction(0)
    )
    quad = sum(
        (means[i] * inverse[i][j] * means[j] for i in range(len(xs)) for j in range(len(xs))),
        Fraction(0),
    )
    intercept_se = math.sqrt(float(s2 * (Fraction(1, n) + quad)))
    magnitude = sum(abs(v) for v in b)
    # The noise of a centred cross product: its own, and that of the two
    # totals in T_a·T_b/n (each times a mean, about the mean of the means).
    typical = float(sum(means, Fraction(0))) / len(xs)
    entry_noise = noise.product + 2 * typical * typical * noise.total
    spread = entry_noise * float(1 + sum(v * v for v in b))
    coefficients = []
    for i, code in enumerate(xs):
        extra = spread * sum(float(inverse[i][j]) ** 2 for j in range(len(xs)))
        se = math.sqrt(float(s2 * inverse[i][i]) + extra)
        value = float(b[i])
        coefficients.append(
            Coefficient(
                code=code,
                value=value,
                se=se,
                low=value - Z95 * se,
                high=value + Z95 * se,
                weight=float(abs(b[i]) / magnitude) if magnitude else None,
            )
        )
    return (
        Regression(
            n=n,
            intercept=float(intercept),
            intercept_se=intercept_se,
            coefficients=coefficients,
            r_squared=float(1 - rss / s_yy),
            exact={code: b[i] for i, code in enumerate(xs)},
        ),
        "",
    )


def summarise(
    sums: Sums,
    min_sample: int,
    *,
    noise: NoiseVariances = EXACT,
    weights_min_sample: int = 0,
) -> Summary:
    """The figures of `sums`, or none at all below the minimum sample; the
    drivers' weights from `weights_min_sample` answers. `noise`: the
    variances of the noise on noisy sums, which the intervals include."""
    if sums.n < max(min_sample, 1):
        return Summary(n=sums.n, min_sample=min_sample, sufficient=False)
    if sums.n < weights_min_sample and len(sums.cross) == len(pairs()):
        fit, note = None, "too_few_for_weights"
    else:
        fit, note = regression(sums, noise)
    return Summary(
        n=sums.n,
        min_sample=min_sample,
        sufficient=True,
        csat=csat(sums, noise),
        nps=nps(sums, noise) if sums.nps_n >= min_sample else None,
        nps_n=sums.nps_n,
        means={code: mean(sums, code, noise) for code in SCORE_CODES if code in sums.total},
        regression=fit,
        regression_note=note,
        weights_min_sample=weights_min_sample,
    )
