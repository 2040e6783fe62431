import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from mac.core.models import Event


class Command(BaseCommand):
    help = "Delete live events older than --days (they only serve screens that reconnect)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        cutoff = timezone.now() - dt.timedelta(days=days)
        deleted, _ = Event.objects.filter(at__lt=cutoff).delete()
        self.stdout.write(
            f"Eventos eliminados: {deleted} (anteriores a {cutoff:%Y-%m-%d %H:%M} UTC)"
        )
