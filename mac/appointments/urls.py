"""Public pages of appointments on Portal MAC (views.py). notices.py reverses
"manage" and "hold" for the links in emails and SMS."""

from django.urls import path

from mac.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.start, name="start"),
    path("horarios/", views.slots, name="slots"),
    path("reservar/", views.take, name="take"),
    path("reserva/<str:token>/", views.hold_page, name="hold"),
    path("reserva/<str:token>/liberar/", views.release, name="release"),
    path("confirmada/", views.confirmed, name="confirmed"),
    path("lista-de-espera/", views.waitlist, name="waitlist"),
    path("gestionar/", views.manage, name="manage"),
    path("gestionar/cita/", views.manage_booking, name="manage_booking"),
    path("gestionar/reprogramar/", views.reschedule, name="reschedule"),
    path("gestionar/anular/", views.cancel, name="cancel"),
    path("gestionar/cita.ics", views.calendar_file, name="ics"),
    path("gestionar/salir/", views.forget, name="forget"),
    path("desafio/", views.pow_challenge, name="pow"),
]
