"""The screens of a Centro MAC: kiosk, orientation desk, advisor desk, display
board, and the citizen's status page. Each screen's module lists its paths."""

from django.urls import path

from mac.screens import advisor, board, checkin, kiosk, live, orientation, status, waiting

app_name = "screens"

urlpatterns = [
    path("centros/<slug:slug>/eventos/", live.center_events, name="events"),
    *kiosk.urlpatterns,
    *checkin.urlpatterns,
    *orientation.urlpatterns,
    *waiting.urlpatterns,
    *advisor.urlpatterns,
    *board.urlpatterns,
    *status.urlpatterns,
]
