"""The `mac` command: Django's management commands plus the project's own
(`mac demo`, `mac serve`, `mac seed`, `mac bench ...`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mac.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mac", *sys.argv[1:]])


if __name__ == "__main__":
    main()
