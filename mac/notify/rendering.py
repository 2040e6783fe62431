"""Rendering a kind's texts in one language, as plain text (no HTML escaping:
the texts go to mail clients and phones, not to browsers)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.template import Context, Engine
from django.utils import translation

from mac.notify import gsm
from mac.notify.kinds import Kind

ELLIPSIS = "..."  # in the GSM alphabet, unlike "…"


def render(kind: Kind, part: str, language: str, context: Mapping[str, Any]) -> str:
    """`part` is "subject", "body" or "sms"."""
    if part == "sms" and kind.sms_fit:
        return _fitted_sms(kind, language, context)
    return _render(kind, part, language, context)


def _render(kind: Kind, part: str, language: str, context: Mapping[str, Any]) -> str:
    template = Engine.get_default().get_template(kind.template(part))
    with translation.override(language):
        text = template.render(Context(dict(context), autoescape=False))
    if part == "body":
        return _paragraphs(text)
    # A subject and an SMS are one line.
    return " ".join(text.split())


def _fitted_sms(kind: Kind, language: str, context: Mapping[str, Any]) -> str:
    """The SMS with its `sms_fit` value in the GSM alphabet, cut short with
    "..." (after a whole word when one fits) until the text takes at most one
    SMS (160 characters)."""
    full = gsm.folded(str(context[kind.sms_fit]))
    value, keep = full, len(full)
    text = _render(kind, "sms", language, {**context, kind.sms_fit: value})
    while (over := gsm.length(text) - gsm.SMS_LIMIT) > 0 and keep > 0:
        keep = max(0, keep - over - (len(ELLIPSIS) if value == full else 0))
        value = _cut(full, keep)
        text = _render(kind, "sms", language, {**context, kind.sms_fit: value})
    return text


def _cut(text: str, keep: int) -> str:
    """The first `keep` characters of `text` and "...", without a word's
    first letters when a whole word fits ("Sacar el DNI..." rather than
    "Sacar el DNI gr...")."""
    head = text[:keep]
    if text[keep : keep + 1] not in {"", " "} and " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:(-") + ELLIPSIS


def _paragraphs(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
