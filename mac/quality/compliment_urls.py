"""The compliments book under /felicitaciones/."""

from django.urls import path

from mac.quality import compliment_views

app_name = "compliments"

urlpatterns = [
    path("", compliment_views.new, name="new"),
    path("gracias/", compliment_views.done, name="done"),
    path("desafio/", compliment_views.pow_challenge, name="pow"),
    path("personal/", compliment_views.staff_list, name="staff_list"),
]
