"""Template context every page gets."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from mac.core.language import speaks_spanish


def data_lang(request: HttpRequest) -> dict[str, object]:
    """`data_lang`: ` lang="es"` for an element that shows data written in
    Spanish (names of services, entities and centers) on a page in another
    language (WCAG 2.1 SC 3.1.2, language of parts); nothing on a Spanish
    page. Lazy: the page's language is read when the template shows it."""
    return {"data_lang": _DataLang()}


class _DataLang:
    def __html__(self) -> SafeString:
        return mark_safe("") if speaks_spanish() else mark_safe(' lang="es"')

    def __str__(self) -> str:
        return self.__html__()
