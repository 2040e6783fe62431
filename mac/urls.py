from django.contrib import admin
from django.urls import include, path

from mac.api import api
from mac.core.views import favicon, forbidden, healthz

admin.site.site_header = "Plataforma MAC — administración"
admin.site.site_title = "Plataforma MAC"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("sin-acceso/", forbidden, name="forbidden"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("mac.accounts.urls")),
    path("api/v1/", api.urls),
    path("citas/", include("mac.appointments.urls")),
    path("reclamaciones/", include("mac.quality.urls")),
    path("felicitaciones/", include("mac.quality.compliment_urls")),
    path("encuestas/", include("mac.surveys.urls")),
    path("", include("mac.screens.urls")),
    path("", include("mac.portal.urls")),
]
