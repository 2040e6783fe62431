"""Proof of work for public forms, in the manner of ALTCHA: no third-party
service, no tracking, a few hundred milliseconds of a browser's time per
submission, which makes hoarding thousands of slots expensive.

The server draws a secret number n in [0, max_number] and publishes
  challenge = SHA-256(salt + str(n))
  signature = HMAC(SECRET_KEY, purpose + ":" + challenge + ":" + salt)
where the salt carries its expiry and the purpose names the book that serves
the challenge. The browser tries numbers until one hashes to the challenge
(static/mac/pow.js) and sends back a payload with the number. The server
checks the signature (it issued the challenge, for this purpose), the
expiry, the hash, and that the salt was never spent before.

The purpose is not in the payload: the verifying book supplies its own, so a
proof solved for one book (the complaints book's challenges are larger and
last 30 minutes, the appointments' 10) is forged for another, and stays
unspent for its own."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

ALGORITHM = "SHA-256"


@dataclass(frozen=True)
class Challenge:
    algorithm: str
    challenge: str
    maxnumber: int
    salt: str
    signature: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class PowError(Exception):
    pass


class Purpose(StrEnum):
    """What a challenge is for: one per book whose pages and API ask for a
    proof, each with its own size and lifetime. (No ":" in a value: it
    separates the purpose from the rest of the signed text.)"""

    APPOINTMENTS = "appointments"  # taking a place, joining a waitlist
    COMPLAINTS = "complaints"
    COMPLIMENTS = "compliments"


def _sign(purpose: Purpose, challenge: str, salt: str) -> str:
    text = f"{purpose.value}:{challenge}:{salt}"
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _hash(salt: str, number: int) -> str:
    return hashlib.sha256(f"{salt}{number}".encode()).hexdigest()


def new_challenge(
    *,
    purpose: Purpose,
    max_number: int,
    seconds: int,
    now: dt.datetime | None = None,
    number: int | None = None,
) -> Challenge:
    now = now or timezone.now()
    expires = int((now + dt.timedelta(seconds=seconds)).timestamp())
    salt = f"{secrets.token_hex(12)}?expires={expires}"
    secret = secrets.randbelow(max_number + 1) if number is None else number
    challenge = _hash(salt, secret)
    return Challenge(ALGORITHM, challenge, max_number, salt, _sign(purpose, challenge, salt))


def solve(challenge: Challenge | dict[str, object]) -> str:
    """The payload a browser would send (used by tests and the benchmark)."""
    data = challenge.as_dict() if isinstance(challenge, Challenge) else challenge
    salt, target = str(data["salt"]), str(data["challenge"])
    for number in range(int(data["maxnumber"]) + 1):  # type: ignore[call-overload]
        if _hash(salt, number) == target:
            payload = {
                "algorithm": ALGORITHM,
                "challenge": target,
                "number": number,
                "salt": salt,
                "signature": data["signature"],
            }
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise PowError("no solution")


def verify(payload: str, *, purpose: Purpose, now: dt.datetime | None = None) -> None:
    """Accept a solution of a challenge served for `purpose` once, or raise
    PowError (one served for another purpose is "forged")."""
    now = now or timezone.now()
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
        salt, target, signature = str(data["salt"]), str(data["challenge"]), str(data["signature"])
        number = int(data["number"])
        expires = int(salt.rsplit("?expires=", 1)[1])
    except (ValueError, KeyError, TypeError, IndexError):
        raise PowError("malformed") from None
    # The salt is signed with the challenge: "salt + number" can be split more
    # than one way, and an unsigned salt let one solution pass three times
    # with its expiry moved years ahead.
    signed = _sign(purpose, target, salt)
    if data.get("algorithm") != ALGORITHM or not hmac.compare_digest(signed, signature):
        raise PowError("forged")
    if expires < now.timestamp():
        raise PowError("expired")
    if _hash(salt, number) != target:
        raise PowError("wrong")
    from mac.core.models import SpentChallenge

    try:
        with transaction.atomic():
            SpentChallenge.objects.create(
                salt=salt, expires_at=dt.datetime.fromtimestamp(expires, tz=dt.UTC)
            )
    except IntegrityError:
        raise PowError("replayed") from None
    if secrets.randbelow(100) == 0:
        SpentChallenge.objects.filter(expires_at__lt=now).delete()
