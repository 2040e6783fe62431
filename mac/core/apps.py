from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mac.core"
    label = "core"
    verbose_name = "Núcleo"

    def ready(self) -> None:
        from mac.core import checks  # noqa: F401  (registers the deploy checks)
