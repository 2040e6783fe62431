"""The printed ticket: ESC/POS through python-escpos.

Each center prints on its own printer: settings.TICKET_PRINTERS maps a
center's slug to a printer ("lima-norte=network:10.1.0.20:9100,
arequipa=network:10.2.0.20:9100", or a dict), and a center it does not name
uses settings.TICKET_PRINTER. A printer is one of:
  "network:HOST:PORT"      a network thermal printer (raw port, usually 9100)
  "usb:VENDOR:PRODUCT"     a USB printer (hex ids, e.g. usb:04b8:0202)
  "file:/dev/usb/lp0"      a device file or any file (bytes appended)
  "dummy"                  keeps the bytes in memory (tests, demos): see `dummy_outputs`
  "none"                   no printer: the kiosk shows the ticket on screen only
The server opens the printer, so a network printer must be reachable from
the server, and a USB or file printer must be attached to it.

A printer failure never loses a ticket: the ticket is issued before printing,
`print_ticket` returns False instead of raising, and the screen says so.
A printer that failed is then skipped for TICKET_PRINTER_DOWN_SECONDS (60):
a dead network printer costs its timeout (TICKET_PRINTER_TIMEOUT, 5 s) once,
not on every ticket of every visit, and the failure is logged once. Each
server process keeps its own note of the printers it found down.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mac.centers.models import Center
from mac.core.calendar import to_lima
from mac.core.links import absolute
from mac.queueing.models import Ticket

logger = logging.getLogger(__name__)

# The last bytes the "dummy" printer received, newest last (tests and demos).
dummy_outputs: deque[bytes] = deque(maxlen=20)
LINE_WIDTH = 42  # characters on an 80 mm roll in font A


class PrinterConfigError(ValueError):
    pass


@dataclass(frozen=True)
class PrinterSpec:
    kind: str
    target: str = ""
    port: int = 9100
    vendor: int = 0
    product: int = 0


def parse_printer(value: str) -> PrinterSpec:
    """Read one printer (a TICKET_PRINTER value); raise PrinterConfigError when malformed."""
    value = (value or "none").strip()
    kind, _sep, rest = value.partition(":")
    kind = kind.lower()
    if kind in ("none", "dummy") and not rest:
        return PrinterSpec(kind)
    if kind == "file" and rest:
        return PrinterSpec(kind, target=rest)
    if kind == "network" and rest:
        host, _sep, port = rest.rpartition(":")
        if not host:
            host, port = rest, "9100"
        if port.isdigit():
            return PrinterSpec(kind, target=host, port=int(port))
    if kind == "usb":
        vendor, _sep, product = rest.partition(":")
        try:
            return PrinterSpec(kind, vendor=int(vendor, 16), product=int(product, 16))
        except ValueError:
            pass
    raise PrinterConfigError(f"TICKET_PRINTER no válido: {value!r}")


def center_printers(value: str | dict[str, str]) -> dict[str, str]:
    """Read a TICKET_PRINTERS value: a dict, or "slug=printer" pairs separated
    by commas; raise PrinterConfigError when malformed."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    printers = {}
    for item in (value or "").split(","):
        if not item.strip():
            continue
        slug, sep, printer = item.partition("=")
        if not sep or not slug.strip() or not printer.strip():
            raise PrinterConfigError(f"TICKET_PRINTERS no válido: {item.strip()!r}")
        printers[slug.strip()] = printer.strip()
    return printers


def printer_of(center: Center) -> PrinterSpec:
    """The center's printer: its entry in TICKET_PRINTERS, or TICKET_PRINTER."""
    printers = center_printers(getattr(settings, "TICKET_PRINTERS", ""))
    return parse_printer(printers.get(center.slug, getattr(settings, "TICKET_PRINTER", "none")))


def open_printer(spec: PrinterSpec) -> Any:
    """An escpos printer for the spec, or None for "none"."""
    from escpos import printer

    timeout = getattr(settings, "TICKET_PRINTER_TIMEOUT", 5)
    if spec.kind == "none":
        return None
    if spec.kind == "dummy":
        return printer.Dummy()
    if spec.kind == "file":
        return printer.File(devfile=spec.target)
    if spec.kind == "network":
        return printer.Network(host=spec.target, port=spec.port, timeout=timeout)
    return printer.Usb(spec.vendor, spec.product, timeout=timeout * 1000)


def status_url(ticket: Ticket) -> str:
    """Absolute URL of the citizen's status page for this ticket's visit."""
    return absolute(status_path(ticket.visit.token))


def status_path(token: str) -> str:
    # The status page is its own screen (mac/screens/status.py); its URL is
    # fixed by issue 4, so the ticket does not depend on that module's names.
    return f"/turno/{token}/"


def qr_svg(url: str) -> SafeString:
    """An inline SVG QR code of `url` for the screen (drawn here, no network)."""
    code = segno.make(url, error="m")
    return mark_safe(code.svg_inline(scale=6, border=2, dark="#000", light="#fff", omitsize=True))


def format_wait(seconds: int | None) -> str:
    if seconds is None:
        return _("Por confirmar: te informaremos en pantalla.")
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return _("Unos %(n)d min") % {"n": minutes}
    return _("Unas %(h)d h %(m)02d min") % {"h": minutes // 60, "m": minutes % 60}


def render_ticket(p: Any, ticket: Ticket, *, wait_seconds: int | None) -> None:
    """Write the ticket's ESC/POS commands to an escpos printer. Every `set`
    says whether the text is bold: python-escpos leaves what it is not told."""
    issued = to_lima(ticket.issued_at)
    p.set(align="center", bold=True)
    p.text(f"{ticket.center.name}\n")
    p.set(align="center", bold=False, normal_textsize=True)
    p.text(_("Tu turno") + "\n")
    p.set(align="center", bold=True, custom_size=True, width=4, height=4)
    p.text(f"{ticket.code}\n")
    p.set(align="center", bold=True, normal_textsize=True)
    p.text(f"{ticket.entity.acronym}\n")
    p.set(align="center", bold=False, normal_textsize=True)
    p.text(_wrap(ticket.service.plain_name) + "\n")
    if ticket.priority:
        p.set(align="center", bold=True, normal_textsize=True)
        p.text(_("Atención preferente") + "\n")
        p.set(align="center", bold=False, normal_textsize=True)
    p.text(_("Espera estimada: %(wait)s") % {"wait": format_wait(wait_seconds)} + "\n")
    p.text(issued.strftime("%d/%m/%Y %H:%M") + "\n\n")
    p.text(_("Sigue tu turno en tu celular:") + "\n")
    p.set(align="center", bold=False)
    p.qr(status_url(ticket), native=True, size=6)
    p.text("\n" + _("Espera el llamado en la pantalla.") + "\n")
    # The same QR leads to the survey of the attention once it ends (surveys).
    p.text(_wrap(_("Al terminar, califica tu atención con el mismo código QR.")) + "\n")
    p.cut()


def _wrap(text: str) -> str:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > LINE_WIDTH:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


# Printers that failed, with the moment they may be tried again.
_down: dict[PrinterSpec, dt.datetime] = {}
_down_lock = threading.Lock()


def _is_down(spec: PrinterSpec, now: dt.datetime) -> bool:
    with _down_lock:
        return _down.get(spec, now) > now


def _mark_down(spec: PrinterSpec, now: dt.datetime) -> int:
    seconds = int(getattr(settings, "TICKET_PRINTER_DOWN_SECONDS", 60))
    with _down_lock:
        _down[spec] = now + dt.timedelta(seconds=seconds)
    return seconds


def _describe(spec: PrinterSpec) -> str:
    if spec.kind == "network":
        return f"network:{spec.target}:{spec.port}"
    if spec.kind == "usb":
        return f"usb:{spec.vendor:04x}:{spec.product:04x}"
    return f"{spec.kind}:{spec.target}" if spec.target else spec.kind


def forget_down_printers() -> None:
    """Try every printer again at the next ticket (tests)."""
    with _down_lock:
        _down.clear()


def print_ticket(
    ticket: Ticket, *, wait_seconds: int | None, printer: Any = None, language: str = ""
) -> bool:
    """Print the ticket (in `language` when given, else the screen's); True
    when the printer took it. Never raises: the ticket already exists, and
    the screen shows it whatever happens here."""
    spec: PrinterSpec | None = None
    try:
        if printer is None:
            spec = printer_of(ticket.center)
            if spec.kind == "none" or _is_down(spec, timezone.now()):
                return False
            printer = open_printer(spec)
        with translation.override(language or translation.get_language()):
            render_ticket(printer, ticket, wait_seconds=wait_seconds)
        if hasattr(printer, "output") and type(printer).__name__ == "Dummy":
            dummy_outputs.append(printer.output)
        printer.close()
    except Exception:
        if spec is None:
            logger.exception("Ticket %s was issued but could not be printed", ticket.code)
        else:
            seconds = _mark_down(spec, timezone.now())
            logger.exception(
                "Ticket %s was issued but could not be printed; printer %s skipped for %d s",
                ticket.code,
                _describe(spec),
                seconds,
            )
        return False
    return True


def printer_configured(center: Center) -> bool:
    try:
        return printer_of(center).kind != "none"
    except PrinterConfigError:
        return True  # misconfigured: printing will fail and the screen says so
