"""Which staff links of the complaints book a user gets (the same access
helpers the views check)."""

from __future__ import annotations

from typing import Any

from django import template

from mac.quality import access

register = template.Library()


@register.filter
def reads_complaints(user: Any) -> bool:
    return access.reads_complaints(user)


@register.filter
def reads_compliments(user: Any) -> bool:
    return access.reads_compliments(user)


@register.filter
def files_for_citizens(user: Any) -> bool:
    return access.files_for_citizens(user)
