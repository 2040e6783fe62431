"""Rendering a kind's texts in one language, as plain text (no HTML escaping:
the texts go to mail clients and phones, not to browsers)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.template import Context, Engine
from django.utils import translation

from mac.notify.kinds import Kind


def render(kind: Kind, part: str, language: str, context: Mapping[str, Any]) -> str:
    """`part` is "subject", "body" or "sms"."""
    template = Engine.get_default().get_template(kind.template(part))
    with translation.override(language):
        text = template.render(Context(dict(context), autoescape=False))
    if part == "body":
        return _paragraphs(text)
    # A subject and an SMS are one line.
    return " ".join(text.split())


def _paragraphs(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
