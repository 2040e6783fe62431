"""The GSM 03.38 alphabet of SMS: a text written only in it goes in one SMS
up to 160 characters (each of the extension table, such as "€" or "[",
takes two); one letter outside it (á, í, ó, ú, ...) sends the whole text as
UCS-2, 70 characters a part."""

from __future__ import annotations

import unicodedata

SMS_LIMIT = 160

BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = frozenset("^{}\\[~]|€")
# Common characters outside the alphabet, by their nearest in it.
_NEAREST = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def is_gsm(text: str) -> bool:
    return all(c in BASIC or c in EXTENSION for c in text)


def length(text: str) -> int:
    """Characters the text takes in an SMS in the GSM alphabet."""
    return sum(2 if c in EXTENSION else 1 for c in text)


def folded(text: str) -> str:
    """`text` in the GSM alphabet: letters outside it lose their accent
    ("Inscripción" -> "Inscripcion"; é, ñ and ü are in it and stay), a few
    punctuation marks become their plain form, and anything else a "?"."""
    return "".join(_fold(c) for c in text.translate(_NEAREST).replace("…", "..."))


def _fold(c: str) -> str:
    if c in BASIC or c in EXTENSION:
        return c
    base = "".join(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))
    return base if base and is_gsm(base) else "?"
