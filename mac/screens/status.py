"""The citizen's status page (/turno/<token>/), opened from the ticket's QR or
an SMS link: position in line, estimated wait, and "it's your turn, go to
module N" when called. The token is the visit's unguessable token; the page
shows no personal data (no name, no document number).

An unknown token answers 404; a visit of a previous day answers 410 with a
page that says the ticket is no longer valid. status.js refreshes the state
partial when a live event concerns the visit's tickets or services, and every
30 s while the event stream is down."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from mac.queueing.models import Visit
from mac.screens import queries


def _visit_or_answer(request: HttpRequest, token: str) -> Visit | HttpResponse:
    visit = queries.visit_by_token(token)
    if visit is None:
        return render(request, "screens/status_not_found.html", status=404)
    if not queries.is_current(visit, timezone.now()):
        return render(request, "screens/status_expired.html", {"center": visit.center}, status=410)
    return visit


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the key: keep it out of caches and of other sites' logs.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    found = _visit_or_answer(request, token)
    if isinstance(found, HttpResponse):
        return _private(found)
    state = queries.visit_status(found, timezone.now())
    context = {"center": found.center, "visit": found, "state": state}
    return _private(render(request, "screens/status.html", context))


@require_safe
def status_partial(request: HttpRequest, token: str) -> HttpResponse:
    found = _visit_or_answer(request, token)
    if isinstance(found, HttpResponse):
        return _private(found)
    state = queries.visit_status(found, timezone.now())
    context = {"center": found.center, "visit": found, "state": state}
    return _private(render(request, "screens/status_state.html", context))


urlpatterns = [
    path("turno/<str:token>/", status_page, name="status"),
    path("turno/<str:token>/estado/", status_partial, name="status-state"),
]
