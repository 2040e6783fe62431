from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mac.accounts.apikeys import DEFAULT_DAYS, MAX_DAYS, create_key, revoke_key
from mac.accounts.models import ApiKey, User


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = (
        "API keys for other channels' systems: create one for a staff user (shown once), "
        "list them, revoke one by its prefix."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        create = sub.add_parser("create", help="create a key for a user and print it once")
        create.add_argument("--user", required=True, help="username of the staff user")
        create.add_argument("--name", required=True, help="the system that will use it")
        create.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"days the key is valid (default {DEFAULT_DAYS}, at most {MAX_DAYS})",
        )
        create.add_argument(
            "--source",
            choices=ApiKey.Source.values,
            default=ApiKey.Source.API,
            help="what the system is: the origin of its tickets and check-ins (default api)",
        )
        sub.add_parser("list", help="the keys, without their secret")
        revoke = sub.add_parser("revoke", help="revoke a key")
        revoke.add_argument("prefix", help="the prefix, as `list` shows it (mac_<prefix>_…)")

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        if what == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No existe el usuario {options['user']}.")
            try:
                row, key = create_key(
                    user, options["name"], days=options["days"], source=options["source"]
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(
                f"Clave de API «{row.name}» para {user.username}, origen {row.source}:"
            )
            self.stdout.write(key)
            self.stdout.write(f"Vale hasta el {_when(row.expires_at)}.")
            self.stdout.write("Guárdela ahora: no se vuelve a mostrar.")
        elif what == "list":
            now = timezone.now()
            for row in ApiKey.objects.select_related("user").order_by("created_at", "id"):
                if row.revoked_at:
                    state = f"revocada {_when(row.revoked_at)}"
                elif row.expires_at and row.expires_at <= now:
                    state = f"caducada {_when(row.expires_at)}"
                elif row.expires_at:
                    state = f"activa hasta {_when(row.expires_at)}"
                else:
                    state = "activa, sin caducidad"
                self.stdout.write(
                    f"mac_{row.prefix}_…  {row.user.username:<20} {row.name:<30} {row.source:<6} "
                    f"{state}, último uso {_when(row.last_used_at)}"
                )
        else:
            try:
                row = revoke_key(options["prefix"])
            except LookupError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Clave mac_{row.prefix}_… ({row.name}) revocada.")
