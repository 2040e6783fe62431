from django.apps import AppConfig


class ScreensConfig(AppConfig):
    name = "mac.screens"
    label = "screens"
    verbose_name = "Pantallas del Centro MAC"
