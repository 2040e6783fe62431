from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "mac.catalog"
    label = "catalog"
    verbose_name = "Catálogo"

    def ready(self) -> None:
        from mac.catalog import search
        from mac.core import events

        events.subscribe("catalog.", search.invalidate)
        events.subscribe("centers.", search.invalidate)
