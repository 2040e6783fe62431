from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "mac.portal"
    label = "portal"
    verbose_name = "Portal"
