"""Survey settings: defaults here (some read from the environment),
overridden by settings.SURVEYS (a dict with any of these keys)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings


def _envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _envfloat(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


DEFAULTS: dict[str, Any] = {
    # Below this many answers a results page shows no figure and no comment
    # ("muestra insuficiente"): too few to estimate, and too few to keep the
    # citizens and the advisor behind them anonymous.
    "MIN_SAMPLE": _envint("SURVEYS_MIN_SAMPLE", 30),
    # Days a survey link stays valid after the attention's (Lima) day: to the
    # end of that day.
    "TOKEN_DAYS": _envint("SURVEYS_TOKEN_DAYS", 7),
    # Minutes after an attention before its invitation goes by email or SMS
    # (a citizen who answers or skips it at the counter's tablet first gets none).
    "INVITE_DELAY_MINUTES": _envint("SURVEYS_INVITE_DELAY_MINUTES", 30),
    # Minutes the counter's tablet keeps offering the last attention's survey.
    "TABLET_MINUTES": _envint("SURVEYS_TABLET_MINUTES", 10),
    # Comments listed on a results page (newest first).
    "COMMENTS_SHOWN": 50,
    # Noise on the sums behind every published figure, in multiples of the
    # most one answer can change each sum (ADR 0009): 1 keeps a mean of 100
    # answers within about ±0.1 of the exact one (one standard deviation),
    # so that two selections one citizen apart do not give their answer
    # away. 0 turns the noise off (never in production).
    "NOISE": _envfloat("SURVEYS_NOISE", 1.0),
    # The key of the noise's draws; empty: derived from SECRET_KEY. Set it
    # apart so that rotating SECRET_KEY does not draw every figure anew (a
    # new draw of the same selection is a second, independent look at it).
    "NOISE_SECRET": os.environ.get("SURVEYS_NOISE_SECRET", ""),
    # The drivers' weights (a regression on 36 noisy sums of products) are
    # shown from this many answers: below it the noise would swamp them.
    "WEIGHTS_MIN_SAMPLE": _envint("SURVEYS_WEIGHTS_MIN_SAMPLE", 3000),
}


def conf(name: str) -> Any:
    overrides: dict[str, Any] = getattr(settings, "SURVEYS", {})
    return overrides.get(name, DEFAULTS[name])
