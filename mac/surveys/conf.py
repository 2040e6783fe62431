"""Survey settings: defaults here (some read from the environment),
overridden by settings.SURVEYS (a dict with any of these keys)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings


def _envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


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
}


def conf(name: str) -> Any:
    overrides: dict[str, Any] = getattr(settings, "SURVEYS", {})
    return overrides.get(name, DEFAULTS[name])
