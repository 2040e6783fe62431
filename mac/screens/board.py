"""The display board (/centros/<slug>/pantalla/), a TV in the waiting room:
the latest calls with their counter, waiting counts per entity and notices.
Public: it shows ticket codes and counters, never names.

The page renders the full state and embeds it as JSON with the id of the
last event it reflects; board.js then applies the live events to that state
and announces each call (chime and the browser's own Spanish voice)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from mac.centers.models import Center
from mac.screens import queries


@require_safe
def board(request: HttpRequest, slug: str) -> HttpResponse:
    center = get_object_or_404(Center, slug=slug)
    state = queries.board_state(center, timezone.now())
    return render(request, "screens/board.html", {"center": center, "state": state})


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
