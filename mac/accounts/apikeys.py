"""API keys: how another channel's system calls `/api/v1/` as a staff user.

A key reads `mac_<prefix>_<secret>`; the prefix finds its row, the SHA-256
digest of the whole key proves it (compared in constant time). A revoked key,
an expired one (a key lasts DEFAULT_DAYS unless created for fewer or more, at
most MAX_DAYS: a key forgotten in an old integration stops by itself), or one
whose user is inactive, authenticates no one. `last_used_at` is written
at most once a minute per key, so that a busy integration does not turn every
call into a write. A key's `source` (api, kiosk, desk) is fixed when it is
created: the queue and check-in APIs take it as the origin of what the key
does, and refuse a request that claims another."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from mac.accounts.models import ApiKey, User
from mac.core import audit

TOUCH_EVERY = dt.timedelta(minutes=1)
DEFAULT_DAYS = 365
MAX_DAYS = 3 * 365
MAX_NAME = ApiKey._meta.get_field("name").max_length or 100


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_key(
    user: User,
    name: str,
    *,
    days: int = DEFAULT_DAYS,
    source: str = ApiKey.Source.API,
    by: Any = None,
) -> tuple[ApiKey, str]:
    """A new key for `user`, valid for `days`, for a system of kind `source`
    (ApiKey.Source); the key itself is returned only here. ValueError, with
    nothing written, for a bad name, days, source or user."""
    name = name.strip()
    if not name:
        raise ValueError(_("Dé un nombre a la clave: el sistema que la usará."))
    if len(name) > MAX_NAME:
        raise ValueError(
            _("El nombre de la clave tiene como máximo %(n)d caracteres.") % {"n": MAX_NAME}
        )
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(
            _("Una clave vale de 1 a %(max)d días; pidió %(days)d.")
            % {"max": MAX_DAYS, "days": days}
        )
    if source not in ApiKey.Source.values:
        raise ValueError(
            _("Origen desconocido: %(source)s. Use uno de: %(choices)s.")
            % {"source": source, "choices": ", ".join(ApiKey.Source.values)}
        )
    if not user.is_active:
        raise ValueError(_("El usuario %(user)s está inactivo.") % {"user": user.username})
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    key = f"mac_{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.now() + dt.timedelta(days=days)
    row = ApiKey.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=_digest(key),
        expires_at=expires_at,
        source=source,
    )
    audit.record(
        "accounts.apikey.created",
        row,
        by=by,
        user=user.username,
        name=name,
        source=source,
        expires_at=expires_at.isoformat(),
    )
    return row, key


@transaction.atomic
def revoke_key(prefix: str, *, by: Any = None) -> ApiKey:
    """Revoke the key with this prefix (LookupError: none; a second revoke
    keeps the first time). The prefix may be given as `mac apikey list` shows
    it (`mac_<prefix>_…`) or as the whole key."""
    parts = prefix.strip().split("_")
    if len(parts) >= 2 and parts[0] == "mac":
        prefix = parts[1]
    row = ApiKey.objects.select_for_update().filter(prefix=prefix).first()
    if row is None:
        raise LookupError(_("No hay ninguna clave con el prefijo %(prefix)s.") % {"prefix": prefix})
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit.record("accounts.apikey.revoked", row, by=by, user=row.user.username)
    return row


def user_for_key(key: str, now: dt.datetime | None = None) -> User | None:
    """The active user a valid, unrevoked key stands for; None otherwise."""
    row = key_row(key, now)
    return row.user if row is not None else None


def key_row(key: str, now: dt.datetime | None = None) -> ApiKey | None:
    """The row of a valid, unrevoked key of an active user; None otherwise."""
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "mac":
        return None
    now = now or timezone.now()
    row = (
        ApiKey.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if row is None or not hmac.compare_digest(row.digest, _digest(key)):
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def key_of(request: HttpRequest) -> ApiKey | None:
    """The key a request authenticated with; None for a session (or no one)."""
    return getattr(request, "api_key", None)


class ApiKeyAuth(HttpBearer):
    """django-ninja security: `Authorization: Bearer <key>`; sets request.user
    as a session would. No CSRF token: a key is not sent by a browser on its own.
    Called on a request directly, it gives None when there is no Bearer header
    (public endpoints that treat a key's user as an operator)."""

    openapi_description = "Clave de API: Authorization: Bearer mac_<prefijo>_<secreto>"

    def authenticate(self, request: HttpRequest, token: str) -> User:
        # A key was given: a wrong one is a 401 here, not a try at the session.
        row = key_row(token)
        if row is None:
            raise AuthenticationError()
        request.api_key = row  # type: ignore[attr-defined]
        request.user = row.user
        return row.user


api_key = ApiKeyAuth()


class StaffSession(SessionAuth):
    """ninja's session authentication (`django_auth`), except that it leaves a
    request with no signed-in user alone instead of refusing it first for
    its CSRF token: only a session needs the token. A client with neither
    session nor key is a 401 `unauthenticated` (sign in or send a key), not a
    403 about a session it does not have; a session without its token is
    still the 403 `csrf` (mac/api.py)."""

    openapi_description = (
        "Sesión del personal (cookie sessionid): una solicitud POST lleva el token CSRF de la"
        " sesión en la cabecera X-CSRFToken; sin él, 403 csrf"
    )

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = StaffSession()
