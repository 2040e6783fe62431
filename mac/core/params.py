"""Numbers read from request parameters and form fields. `str.isdigit` is
true for "²" and "٣", which `int` refuses or reads as another number, and
for a 5,000-digit string that no database key holds: a crafted value became a
server error. These accept ASCII digits only, within bounds."""

from __future__ import annotations

from typing import Any

# A 64-bit key holds every number of 18 digits.
MAX_ID_DIGITS = 18


def parse_id(raw: Any) -> int | None:
    """A row id, or None when `raw` is not 1 to 18 ASCII digits (no blanks,
    no sign) or a non-negative int of that size."""
    if isinstance(raw, str):
        ok = raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS
        return int(raw) if ok else None
    return parse_int(raw, 0, 10**MAX_ID_DIGITS - 1)


def parse_int(raw: Any, low: int, high: int) -> int | None:
    """An integer within [low, high] written in ASCII digits (surrounding
    blanks allowed), or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if low <= raw <= high else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None
