"""Survey pages under /encuestas/ (views.py: the citizen's link and the
counter's tablet; results.py: the staff results page). notices.py reverses
"answer" for the links in emails and SMS."""

from django.urls import path

from mac.surveys import results, views

app_name = "surveys"

urlpatterns = [
    path("resultados/", results.results_page, name="results"),
    path("modulo/<int:counter_id>/", views.tablet, name="tablet"),
    path("modulo/<int:counter_id>/omitir/", views.tablet_skip, name="tablet-skip"),
    path("modulo/<int:counter_id>/vigente/", views.tablet_current, name="tablet-current"),
    path("modulo/<int:counter_id>/gracias/", views.tablet_thanks, name="tablet-thanks"),
    path("<str:token>/", views.answer, name="answer"),
    path("<str:token>/gracias/", views.thanks, name="thanks"),
]
