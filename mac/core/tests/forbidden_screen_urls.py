"""A screen whose own automatic htmx request is refused although the screen
itself is not (test_htmx_forbidden_loop*.py): the page loads, and its part
asks every second (hx-trigger "load, every 1s") a view that raises
PermissionDenied. Then the project's own URLs."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import path

from mac.urls import urlpatterns as project

SCREEN = "/prueba/pantalla/"
PART = "/prueba/pantalla/parte/"
REASON = "Esta parte de la pantalla ya no es para esta cuenta."


def screen(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        '<!doctype html><html lang="es"><head><title>Pantalla</title>'
        f'<script src="{static("vendor/htmx.min.js")}"></script></head><body>'
        "<h1>Pantalla</h1>"
        f'<div id="parte" hx-get="{PART}" hx-trigger="load, every 1s">esperando</div>'
        "</body></html>"
    )


def part(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(REASON)


urlpatterns = [
    path(SCREEN[1:], screen),
    path(PART[1:], part),
    *project,
]
