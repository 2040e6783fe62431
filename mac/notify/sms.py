"""SMS backends, chosen by `settings.SMS_BACKEND` (like Django's email backends).

- `ConsoleBackend` writes each SMS to standard output (the demo's default; the
  worker's output shows them).
- `LocmemBackend` keeps them in `mac.notify.sms.outbox` (tests).
- `HttpGatewayBackend` POSTs `{"to": ..., "message": ..., "id": key}` as JSON
  to `SMS_GATEWAY_URL` with `Authorization: Bearer SMS_GATEWAY_TOKEN` and
  `Idempotency-Key: key`. The key is the same on every attempt of one message
  ("mac-<message id>"), so that the gateway can drop a repeat: a gateway that
  answers after SMS_GATEWAY_TIMEOUT may well have taken the SMS, and the
  attempt is then retried like any other failure. It
  follows no redirect: a 3xx answer is an error naming its `Location` (urllib
  would re-send the POST as a GET without the SMS, and the token along with it,
  to whatever host the `Location` names).

`send(to, message, key=...)` returns when the SMS was handed over and raises
`SmsError` otherwise; `key` identifies the message across attempts.
"""

from __future__ import annotations

import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The SMS could not be handed over; the delivery will be retried."""


@dataclass(frozen=True)
class Sms:
    to: str
    message: str


outbox: list[Sms] = []


class BaseBackend:
    def send(self, to: str, message: str, *, key: str = "") -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    _lock = threading.Lock()

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, to: str, message: str, *, key: str = "") -> None:
        with self._lock:
            self.stream.write(f"-- SMS para {to} --\n{message}\n{'-' * 40}\n")
            self.stream.flush()


class LocmemBackend(BaseBackend):
    def send(self, to: str, message: str, *, key: str = "") -> None:
        outbox.append(Sms(to, message))


class HttpGatewayBackend(BaseBackend):
    def __init__(
        self, url: str | None = None, token: str | None = None, timeout: float | None = None
    ) -> None:
        self.url = settings.SMS_GATEWAY_URL if url is None else url
        self.token = settings.SMS_GATEWAY_TOKEN if token is None else token
        self.timeout = settings.SMS_GATEWAY_TIMEOUT if timeout is None else timeout

    def send(self, to: str, message: str, *, key: str = "") -> None:
        if urllib.parse.urlsplit(self.url).scheme not in {"http", "https"}:
            raise SmsError(f"SMS_GATEWAY_URL must be an http(s) URL, not {self.url!r}")
        request = urllib.request.Request(
            self.url,
            data=json.dumps({"to": to, "message": message, "id": key}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": key,
            },
            method="POST",
        )
        try:
            with _opener.open(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                raise SmsError(
                    f"gateway answered HTTP {exc.code} redirecting to "
                    f"{exc.headers.get('Location', '(no Location)')!r}; redirects are not "
                    "followed: set SMS_GATEWAY_URL to the final URL"
                ) from exc
            raise SmsError(f"gateway answered HTTP {exc.code}: {_excerpt(exc)}") from exc
        except TimeoutError as exc:
            # Not wrapped in URLError: the request was written and the answer
            # is late. The SMS may be out; the retry carries the same key.
            raise SmsError(
                f"gateway took the request but did not answer within {self.timeout} s; "
                f"the SMS may have been sent (retried with Idempotency-Key {key})"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered HTTP {status}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Leaves every 3xx answer to the caller, as an HTTPError."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _excerpt(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read(300).decode(errors="replace").strip()
    except OSError:
        return ""


def get_backend() -> BaseBackend:
    backend: BaseBackend = import_string(settings.SMS_BACKEND)()
    return backend
