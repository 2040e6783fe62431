import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
