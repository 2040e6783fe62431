from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "mac.queueing"
    label = "queueing"
    verbose_name = "Colas y atenciones"

    def ready(self) -> None:
        from mac.core import events
        from mac.queueing import cache

        events.subscribe("catalog.", cache.clear)
        events.subscribe("centers.", cache.clear)
        events.subscribe("core.non_working_day.", cache.clear)
        events.subscribe("queue.config.", cache.clear)
