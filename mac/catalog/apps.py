from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "mac.catalog"
    label = "catalog"
    verbose_name = "Catálogo"
