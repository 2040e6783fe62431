"""The display board (/centros/<slug>/pantalla/), a TV in the waiting room:
the latest calls with their counter, waiting counts per entity and notices.
Public: it shows ticket codes and counters, never names.

The page renders the full state and embeds it as JSON with the id of the
last event it reflects; board.js then applies the live events to that state
and announces each call (chime and the browser's own Spanish voice).

After a network cut the stream replays the events the board missed, each
with its age: the board lists every replayed call, but announces (voice,
chime, highlight, the screen readers' live region) only those at most
BOARD_ANNOUNCE_SECONDS old (45). A short cut (the stream is back within
~10 s: EventSource's 3 s retry or live.js's 5 s) still announces its calls,
while the citizen is on the way; an older call was meant for someone who
has already gone to the module or whom the advisor recalls (a recall is
announced afresh), and a burst of stale calls read out after a long cut
would only send people to the wrong module."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from mac.centers.models import Center
from mac.screens import queries

ANNOUNCE_SECONDS = 45


@require_safe
def board(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(Center, slug=slug)
    state = queries.board_state(center, timezone.now())
    announce = int(getattr(settings, "BOARD_ANNOUNCE_SECONDS", ANNOUNCE_SECONDS))
    context = {"center": center, "state": state, "announce_seconds": announce}
    return render(request, "screens/board.html", context)


@require_safe
def board_state(request: HttpRequest, slug: str) -> JsonResponse:
    """The same state as JSON: the board resynchronises with it now and then."""
    center = get_object_or_404(Center, slug=slug)
    state = queries.board_state(center, timezone.now())
    response = JsonResponse({**state.as_json(), "notices": state.notices})
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("centros/<slug:slug>/pantalla/", board, name="board"),
    path("centros/<slug:slug>/pantalla/estado.json", board_state, name="board-state"),
]
