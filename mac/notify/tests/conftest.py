from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

CONFIRMED = {
    "code": "LN-7K3Q",
    "service": "Duplicado de DNI",
    "entity": "RENIEC",
    "center": "Centro MAC Lima Norte",
    "address": "Av. Alfredo Mendiola 1400, Independencia",
    "when": "lunes 7 de diciembre de 2026, 09:30",
    "manage_url": "https://mac.gob.pe/citas/LN-7K3Q/",
    "document_hint": "DNI ****5678",
}

# Every key any registered kind needs, with realistic values.
ANY_KIND = {
    **CONFIRMED,
    "lead": "mañana",
    # As mac.appointments.notices.waitlist_offer passes them (a 22-character token).
    "confirm_url": "https://mac.gob.pe/citas/reserva/Lzeh-AwzqpJ00Y0seC_OBQ/",
    "when_short": "07/12 09:30",
    "offer_until": "11:45",
    "restricted_until": "4 de enero de 2027",
    # As mac.appointments.notices.cancelled_by_center passes them.
    "reason": "por ahora el centro no atiende este trámite",
    "book_url": "https://mac.gob.pe/citas/?servicio=1234",
    "filed_at": "23 de diciembre de 2026, 10:15",
    "due_date": "viernes 5 de febrero de 2027",
    "track_url": "https://mac.gob.pe/reclamaciones/seguimiento/",
    "answer": "Lamentamos la demora. Reforzamos el módulo de 8:00 a 10:00.",
    "staff_url": "https://mac.gob.pe/reclamaciones/personal/123/",
    "days_left": 5,
    "survey_url": "https://mac.gob.pe/encuestas/Lzeh-AwzqpJ00Y0seC_OBQGjb7hjeJQb4/",
    "until": "8 de diciembre",
}


@pytest.fixture
def confirmed() -> dict[str, Any]:
    return dict(CONFIRMED)


@dataclass
class Gateway:
    """A local SMS gateway: records each request and answers with `status`."""

    url: str
    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def gateway(settings: Any) -> Iterator[Gateway]:
    state = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            state.requests.append(
                {
                    "path": self.path,
                    "authorization": self.headers["Authorization"],
                    "content_type": self.headers["Content-Type"],
                    "idempotency_key": self.headers["Idempotency-Key"],
                    "json": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": %s}' % (b"true" if state.status < 300 else b"false"))

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/v1/sms"
    settings.SMS_BACKEND = "mac.notify.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = state.url
    settings.SMS_GATEWAY_TOKEN = "token-de-prueba"
    settings.SMS_GATEWAY_TIMEOUT = 5
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
