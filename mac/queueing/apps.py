from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "mac.queueing"
    label = "queueing"
    verbose_name = "Colas y atenciones"
