"""The project's middleware. RefuseNulMiddleware: requests carrying a NUL
character are refused before any view runs. (ApiBodyMiddleware,
ApiRefusalMiddleware, HtmxSignInMiddleware and HtmxForbiddenMiddleware:
below.)

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
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
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


class ApiBodyMiddleware:
    """Under /api/ the request body is read, whole, before anything parses it
    as a form. django-ninja reads `request.body` when it builds an
    operation's input, after the middleware and the session's CSRF check
    (ninja's `django_auth`, `mac.core.api_guard.staff_caller`) have read
    `request.POST`; for a multipart body that parse consumes the stream, and
    `request.body` then raises (a 500 for a signed-in client that sent an
    empty multipart form). Once the body is read, Django parses the form from
    the kept bytes and both can read it. The API reads JSON only: mac/api.py
    refuses a form body with a 415. Comes before any middleware that reads
    `request.POST` (CsrfViewMiddleware, RefuseNulMiddleware); bodies are
    bounded by DATA_UPLOAD_MAX_MEMORY_SIZE, as for any JSON body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            request.body  # noqa: B018 (read for its side effect: the bytes are kept)
        return self.get_response(request)


class ApiRefusalMiddleware:
    """Under /api/, the refusals that no operation of the API answers keep its
    shape, JSON {detail, code} (mac/api.py answers the operations' own): an
    address that names no operation (Django's 404 page, in HTML) is 404
    `not_found`, and a method that the address does not take (ninja's 405, in
    plain text) is 405 `method_not_allowed`, with the methods it takes in
    Allow. A JSON answer is left as it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith("/api/")
            or response.status_code not in (404, 405)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        if response.status_code == 404:
            detail = _("No existe esa dirección.")
            return JsonResponse({"detail": detail, "code": "not_found"}, status=404)
        detail = _("Esta dirección no admite el método %(method)s.") % {"method": request.method}
        refusal = JsonResponse({"detail": detail, "code": "method_not_allowed"}, status=405)
        refusal["Allow"] = response.get("Allow", "")
        return refusal


class HtmxSignInMiddleware:
    """A staff screen's htmx request made after its session ended (the
    account left in another tab, the session expired overnight) is sent to
    the sign-in page as a whole page. Without this the browser's request
    follows the redirect by itself and htmx swaps the sign-in page into a
    panel of the desk; and the page would come back, after signing in, to
    the fragment's address (a POST-only action) instead of the screen. So
    the answer is htmx's own redirect (HX-Redirect) to the sign-in page,
    with the screen the browser shows (HX-Current-URL) to come back to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code not in (301, 302):
            return response
        sign_in = resolve_url(settings.LOGIN_URL)
        if urlsplit(response.get("Location", "")).path != sign_in:
            return response
        back = _screen_path(request) or "/"
        redirect = HttpResponse(status=200)
        redirect["HX-Redirect"] = f"{sign_in}?{urlencode({'next': back})}"
        return redirect


class HtmxForbiddenMiddleware:
    """A staff screen's htmx request whose view refuses the account
    (PermissionDenied: its role or center changed while the screen was open,
    e.g. an advisor made coordinator in the back office) would swap Django's
    whole 403 page into a panel of the screen. Instead the browser goes
    (HX-Redirect) to the 403 page at its own address, /sin-acceso/
    (`mac.core.views.forbidden`), with the view's reason and a link back to
    the screen the browser showed (HX-Current-URL).

    Not a reload of the screen (HX-Refresh): that is safe only while the
    guard that refused the request refuses the screen too. A screen that
    loads but whose own automatic request is refused (hx-trigger "load" or
    "every", a refresh on a live event) would reload, ask again, be refused
    and reload, for ever, on a screen nobody may be watching; and a person
    whose click is refused would get the screen again without its reason.
    The 403 page makes no request of its own, so one refusal is one
    navigation, whoever triggered it; going back is the person's click.

    A refusal that a screen renders itself, in its panel, with a 403 status
    (the queue's `Forbidden`: another entity's counter) is no exception and
    stays as it is. The answer keeps its status, with no body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied):
            return None
        if request.headers.get("HX-Request") != "true":
            return None
        refused = HttpResponse(status=403)
        refused["HX-Redirect"] = forbidden_url(str(exception), _screen_path(request))
        return refused


def _screen_path(request: HttpRequest) -> str:
    """The path (and query) of the page the browser shows, if it is ours."""
    current = request.headers.get("HX-Current-URL", "")
    if not url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()}):
        return ""
    parts = urlsplit(current)
    if not parts.path.startswith("/"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


FORBIDDEN_SALT = "mac.core.forbidden"


def forbidden_url(reason: str, back: str) -> str:
    """The 403 page's address for a refusal: the reason and the way back
    travel signed, so that nobody can make our page say something else."""
    token = signing.dumps({"reason": reason, "back": back}, salt=FORBIDDEN_SALT, compress=True)
    return f"{reverse('forbidden')}?{urlencode({'r': token})}"
