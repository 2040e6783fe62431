import logging

from django.core import signing
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from mac.core.middleware import FORBIDDEN_SALT

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # The driver's message names the database host, port and user: it
        # goes to the server's log, not to whoever asks.
        logger.exception("healthz: the database does not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask /favicon.ico of pages that name no icon (the admin's):
    the static file, where the static server caches it. Not permanent, so
    that a later hashed static name (ManifestStaticFilesStorage) is followed."""
    return HttpResponseRedirect(static("mac/favicon.ico"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check. An htmx request of a screen left
    open while its account signed in again elsewhere (signing in changes the
    token) would swap Django's 403 page into a panel: the screen reloads
    instead, with a fresh token, and the action (not done) can be repeated."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    return csrf.csrf_failure(request, reason=reason)


@never_cache
@require_safe
def forbidden(request: HttpRequest) -> HttpResponse:
    """The 403 page at its own address: where a screen goes when one of its
    htmx requests is refused (`HtmxForbiddenMiddleware`), with the view's
    reason and a link back to the screen, both signed (`forbidden_url`). It
    makes no request of its own, so a screen refused by its own automatic
    request stops here instead of reloading for ever. A missing, altered or
    day-old token gives the general reason and no way back."""
    reason, back = "", ""
    try:
        data = signing.loads(request.GET.get("r", ""), salt=FORBIDDEN_SALT, max_age=86_400)
        reason, back = str(data["reason"]), str(data["back"])
    except (signing.BadSignature, KeyError, TypeError):
        pass
    if not back.startswith("/") or back.startswith("//"):
        back = ""
    context = {"exception": reason, "back": back, "sign_in_next": back or "/"}
    return render(request, "403.html", context, status=403)
