from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mac.accounts.apikeys import create_key, revoke_key
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
        sub.add_parser("list", help="the keys, without their secret")
        revoke = sub.add_parser("revoke", help="revoke a key")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        if what == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No existe el usuario {options['user']}.")
            try:
                row, key = create_key(user, options["name"])
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Clave de API «{row.name}» para {user.username}:")
            self.stdout.write(key)
            self.stdout.write("Guárdela ahora: no se vuelve a mostrar.")
        elif what == "list":
            for row in ApiKey.objects.select_related("user").order_by("created_at", "id"):
                state = f"revocada {_when(row.revoked_at)}" if row.revoked_at else "activa"
                self.stdout.write(
                    f"mac_{row.prefix}_…  {row.user.username:<20} {row.name:<30} "
                    f"{state}, último uso {_when(row.last_used_at)}"
                )
        else:
            try:
                row = revoke_key(options["prefix"])
            except LookupError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Clave mac_{row.prefix}_… ({row.name}) revocada.")
