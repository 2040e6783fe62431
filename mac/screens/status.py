"""The citizen's status page (/turno/<token>/), opened from the ticket's QR or
an SMS link: position in line, estimated wait, and "it's your turn, go to
module N" when called. The token is the visit's unguessable token; the page
shows no personal data (no name, no document number).

The page speaks the language the citizen asked for at the kiosk or the desk
(the visit's), unless the phone chose one itself (the language cookie).

An unknown token answers 404; a visit of a previous day answers 410 with a
page that says the ticket is no longer valid. status.js refreshes the state
partial when a live event concerns the visit's tickets or services, and every
30 s while the event stream is down."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from mac.core.language import link_language
from mac.queueing.models import Visit
from mac.screens import queries


def _language(request: HttpRequest, visit: Visit) -> str:
    """The language the citizen asked to be served in at the kiosk or the
    desk, when the screens have it; the phone's own choice (the language
    cookie) goes first."""
    return link_language(request, visit.language) or translation.get_language()


def _render(
    request: HttpRequest,
    visit: Visit,
    template: str,
    context: Callable[[], dict[str, Any]],
    status: int = 200,
) -> HttpResponse:
    """Render in the visit's language; `context` is read in it too (the
    states' and counters' labels are translated when read)."""
    language = _language(request, visit)
    with translation.override(language):
        response = render(request, template, context(), status=status)
    response["Content-Language"] = language
    return response


def _visit_or_answer(request: HttpRequest, token: str) -> Visit | HttpResponse:
    visit = queries.visit_by_token(token)
    if visit is None:
        return render(request, "screens/status_not_found.html", status=404)
    if not queries.is_current(visit, timezone.now()):
        context = {"center": visit.center}
        return _render(request, visit, "screens/status_expired.html", lambda: context, status=410)
    return visit


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the key: keep it out of caches and of other sites' logs.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _context(visit: Visit) -> dict[str, Any]:
    state = queries.visit_status(visit, timezone.now())
    return {"center": visit.center, "visit": visit, "state": state}


@require_safe
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    found = _visit_or_answer(request, token)
    if isinstance(found, HttpResponse):
        return _private(found)
    return _private(_render(request, found, "screens/status.html", lambda: _context(found)))


@require_safe
def status_partial(request: HttpRequest, token: str) -> HttpResponse:
    found = _visit_or_answer(request, token)
    if isinstance(found, HttpResponse):
        return _private(found)
    return _private(_render(request, found, "screens/status_state.html", lambda: _context(found)))


urlpatterns = [
    path("turno/<str:token>/", status_page, name="status"),
    path("turno/<str:token>/estado/", status_partial, name="status-state"),
]
