"""Absolute links to the platform's own pages, for messages, tickets and
anything else read away from the site (an SMS, an email, a printed QR):
SITE_URL, the address the public reaches the site at, and a path of it.

(Not `urls.py`: in every app that name is its URLconf.)"""

from __future__ import annotations

import re

from django.conf import settings

_SCHEME = re.compile(r"^https?://")


def absolute(path: str, *, scheme: bool = True) -> str:
    """SITE_URL and `path` (from reverse(), a query string may follow) with
    one slash between them, whether or not SITE_URL ends in one or `path`
    starts with one: "https://mac.gob.pe/citas/". Without the scheme,
    "mac.gob.pe/citas/", as a citizen would type it from a printed ticket."""
    link = settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")
    return link if scheme else _SCHEME.sub("", link)
