"""System checks of a deployment (`mac check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    # Django's own check (security.W009) passes the demo's key: it is long and varied.
    if settings.SECRET_KEY != settings.DEV_SECRET_KEY:
        return []
    return [
        Error(
            "SECRET_KEY es la clave de la demostración, que está publicada en el código.",
            hint=(
                "Defina SECRET_KEY (o SECRET_KEY_FILE) con al menos 50 caracteres al azar, "
                'p. ej. python -c "import secrets; print(secrets.token_urlsafe(50))".'
            ),
            id="mac.E001",
        )
    ]
