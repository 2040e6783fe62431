"""Entry point for benchmark client processes. Spawned processes import the
target's module before anything else, so this module imports no models:
it sets Django up, points it at the scratch database, then runs the client."""

from __future__ import annotations

import os
from importlib import import_module
from typing import Any


def run_client(target: str, db: dict[str, Any], *args: Any) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mac.settings")
    django.setup()
    from django.db import connection

    connection.settings_dict.update(db)
    module_name, func_name = target.split(":")
    getattr(import_module(module_name), func_name)(*args)
