"""Requests carrying a NUL character are refused before any view runs.

No form or client of ours sends one, PostgreSQL text cannot hold one (a write
or query with it fails: a server error), and checking every field of every
form and schema would leave one out: form fields and request bodies are
checked here, once (a 400), and so are the API's paths (a path with a NUL
names nothing: 404). Page paths and query strings are left to the views,
which answer them as they answer any other bad address or search (their own
"not found" pages; the portal and the catalog strip control characters; ids
go through `mac.core.params`).

Under /api/ every body is checked whatever its declared type: django-ninja
reads a JSON body sent as text/plain too."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def _carries_nul(request: HttpRequest) -> bool:
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any(
            NUL in key or any(NUL in v for v in values) for key, values in request.POST.lists()
        )
    if request.content_type == "application/json" or request.path.startswith("/api/"):
        return b"\\u0000" in request.body or b"\x00" in request.body
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path and request.path.startswith("/api/"):
            detail = _("No existe esa dirección.")
            return JsonResponse({"detail": detail, "code": "not_found"}, status=404)
        if _carries_nul(request):
            detail = _("La solicitud contiene un carácter no válido (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": detail, "code": "invalid"}, status=400)
            return HttpResponseBadRequest(detail)
        return self.get_response(request)
