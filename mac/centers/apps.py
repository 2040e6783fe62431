from django.apps import AppConfig


class CentersConfig(AppConfig):
    name = "mac.centers"
    label = "centers"
    verbose_name = "Centros"
