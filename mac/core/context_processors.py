"""What every page's template gets besides Django's own context."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def data_lang() -> SafeString:
    """` lang="es"` for elements that show catalog data (names, requirements,
    legal basis, addresses: written in Spanish) on a page in another language
    (WCAG 2.1 SC 3.1.2, language of parts); nothing on a Spanish page."""
    language = get_language() or settings.LANGUAGE_CODE
    return mark_safe("") if language.split("-")[0] == "es" else mark_safe(' lang="es"')


def catalog_language(request: HttpRequest) -> dict[str, SafeString]:
    """`data_lang` on every page: the portal's, the appointments' and the
    complaints book's show the catalog's Spanish names and addresses."""
    return {"data_lang": data_lang()}
