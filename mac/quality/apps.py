from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "mac.quality"
    label = "quality"
    verbose_name = _("Libro de Reclamaciones y felicitaciones")
