from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "mac.queueing"
    label = "queueing"
    verbose_name = "Colas y atenciones"

    def ready(self) -> None:
        from mac.core import events, generation
        from mac.queueing import cache

        for prefix in cache.TOPICS:
            events.subscribe(prefix, cache.clear)
            generation.track(prefix)
