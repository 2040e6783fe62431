from django.apps import AppConfig


class ScreensConfig(AppConfig):
    name = "mac.screens"
    label = "screens"
    verbose_name = "Pantallas del Centro MAC"

    def ready(self) -> None:
        from mac.core import housekeeping
        from mac.screens.models import prune_kiosk_requests

        housekeeping.register("kiosk_requests", prune_kiosk_requests)
