import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from mac.core.housekeeping import prune_events


class Command(BaseCommand):
    help = (
        "Delete live events older than --days (they only serve screens that reconnect); "
        "`mac worker` does it by itself every HOUSEKEEPING_MINUTES."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.EVENTS_KEEP_DAYS)

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        now = timezone.now()
        deleted = prune_events(now, days)
        cutoff = now - dt.timedelta(days=days)
        self.stdout.write(
            f"Eventos eliminados: {deleted} (anteriores a {cutoff:%Y-%m-%d %H:%M} UTC)"
        )
