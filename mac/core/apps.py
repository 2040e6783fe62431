from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mac.core"
    label = "core"
    verbose_name = "Núcleo"
