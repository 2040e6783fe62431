from django.urls import path

from mac.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("buscar/", views.search, name="search"),
    path("servicios/<slug:slug>/", views.service, name="service"),
    path("centros/", views.centers, name="centers"),
    path("centros/<slug:slug>/", views.center, name="center"),
]
