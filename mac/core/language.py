"""Spanish data in pages of another language (WCAG 2.1 SC 3.1.2, language
of parts): the names of services, entities and centers are written in
Spanish whatever the page's language, so a page in Quechua marks them
lang="es" for a screen reader to read them with Spanish rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def link_language(request: HttpRequest, language: str | None) -> str | None:
    """The language a page opened from a citizen's link (an SMS, an email, a
    ticket's QR) speaks: `language`, the one chosen for it, when the site has
    it, unless this browser chose one itself (the language cookie). None:
    the request's own."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return None
    return language if language in dict(settings.LANGUAGES) else None


def speaks_spanish() -> bool:
    """Whether the active language is Spanish, the language of the data."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0] == "es"


class MixedText(str):
    """A message in the page's language with Spanish data in it. As a string
    it is plain text (an API's `detail`, a log); a template shows `html`,
    since Django's templates render what has `__html__` as that HTML, as
    they do a safe string."""

    html: SafeString

    def __html__(self) -> SafeString:
        return self.html


def with_spanish(template: str, spanish: Mapping[str, str], **params: str) -> str:
    """`template % (spanish | params)`, for a translated message that names
    Spanish data (`spanish`: a service's name, a center's). On a page in
    another language a template shows each of those values in
    <span lang="es">; everything is escaped once. Spanish stays plain."""
    text = template % {**spanish, **params}
    if speaks_spanish():
        return text
    mixed = MixedText(text)
    marked = {
        key: format_html('<span lang="es">{}</span>', value) for key, value in spanish.items()
    }
    escaped = {key: conditional_escape(value) for key, value in params.items()}
    mixed.html = mark_safe(conditional_escape(template) % {**escaped, **marked})
    return mixed


def joined(separator: str, parts: Sequence[str]) -> str:
    """Messages of `with_spanish` joined by `separator`: on a page in another
    language each keeps its Spanish data marked."""
    text = separator.join(parts)
    if speaks_spanish():
        return text
    mixed = MixedText(text)
    mixed.html = mark_safe(conditional_escape(separator).join(conditional_escape(p) for p in parts))
    return mixed
