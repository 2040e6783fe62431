"""Only the live stream (and the portal, which the 404 page links to), so the
stream's tests do not depend on the other screens."""

from django.urls import include, path

from mac.screens import live

urlpatterns = [
    path("centros/<slug:slug>/eventos/", live.center_events),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("mac.portal.urls")),
]
