"""The complaints book under /reclamaciones/: public pages (views.py) and
staff screens under personal/ (staff_views.py). notices.py reverses "track"
and "staff_detail" for the links in emails."""

from django.urls import path

from mac.quality import staff_views, views

app_name = "quality"

urlpatterns = [
    path("", views.triage, name="triage"),
    path("hoja/", views.sheet, name="sheet"),
    path("ubigeo/", views.ubigeo, name="ubigeo"),
    path("registrado/", views.filed, name="filed"),
    path("constancia/", views.constancia_download, name="constancia"),
    path("seguimiento/", views.track, name="track"),
    path("seguimiento/reclamo/", views.tracked, name="tracked"),
    path("seguimiento/salir/", views.forget, name="forget"),
    path("desafio/", views.pow_challenge, name="pow"),
    path("personal/", staff_views.staff_list, name="staff_list"),
    path("personal/nuevo/", staff_views.staff_new, name="staff_new"),
    path("personal/reportes/", staff_views.reports, name="reports"),
    path("personal/exportar.csv", staff_views.export, name="export"),
    path("personal/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("personal/<int:pk>/tramitar/", staff_views.take, name="take"),
    path("personal/<int:pk>/responder/", staff_views.answer, name="answer"),
    path("personal/<int:pk>/notificar/", staff_views.notify, name="notify"),
    path("personal/<int:pk>/archivar/", staff_views.archive, name="archive"),
    path("personal/<int:pk>/constancia/", staff_views.staff_constancia, name="staff_constancia"),
    path(
        "personal/<int:pk>/adjuntos/<int:attachment_id>/",
        staff_views.attachment,
        name="attachment",
    ),
]
