"""Helpers several kinds of appointment action use: the clock, the
transaction that audits a limit hit, the person's and the slot's locks, a
slot's places (taking and giving one back, lapsed holds), a new booking and
its code, the document and the contact as given, and the booking's event and
audit row."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mac.appointments.errors import Conflict, Invalid, LimitReached, NotFound
from mac.appointments.models import Booking, Slot, WaitlistEntry
from mac.catalog.models import Service
from mac.core import audit, locks, rows
from mac.core.dates import spelled_here
from mac.core.documents import validate_document
from mac.core.events import publish_on_commit
from mac.core.phones import parse_phone
from mac.core.rows import Statement

P = ParamSpec("P")


T = TypeVar("T")


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


CODE_LENGTH = 8


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _audited_limits(func: Callable[P, T]) -> Callable[P, T]:
    """Run the action atomically; a limit hit rolls it back and is then
    audited on its own, so the refusal is on record but nothing else is."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except LimitReached as hit:
            with transaction.atomic():
                audit.record(
                    "appointments.limit_reached", None, by=kwargs.get("operator"), **hit.audit
                )
            raise

    return wrapper


def _day_label(day: dt.date) -> str:
    return spelled_here(day, weekday=True)


def _places(slot: Slot, capacity: int) -> int:
    """Places a slot gives: its stored capacity, but not beyond its agenda's
    current capacity (lowered while the slot held more bookings)."""
    return min(slot.capacity, capacity)


# -- Locks and places ------------------------------------------------------


def _lock_person(doc_type: str, number: str) -> None:
    """Serialise the limit checks of one document (PostgreSQL advisory lock;
    SQLite transactions are already serial)."""
    if number:
        locks.hold_until_commit(f"{doc_type}:{number}")


def _lock_slot(slot_id: int, service: Service | None = None) -> Slot:
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("center", "service")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise NotFound(_("El horario no existe."), code="slot_not_found")
    if service is not None and slot.service_id != service.pk:
        raise Invalid(_("El horario no corresponde a ese servicio."), code="slot_service")
    return slot


def _release_lapsed(slot: Slot, now: dt.datetime) -> None:
    """Give back the places of holds that ran out (slot locked).

    The holds are locked, and a hold that another transaction confirmed or
    released meanwhile is left alone: PostgreSQL checks the condition again
    on the row it waited for. The update repeats the condition and only the
    rows it changed give their place back."""
    lapsed = Q(slot=slot, status=Booking.Status.HELD, hold_until__lte=now)
    ids = list(
        Booking.objects.select_for_update(of=("self",))
        .filter(lapsed)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return
    expired = Booking.objects.filter(lapsed, pk__in=ids).update(status=Booking.Status.EXPIRED)
    if not expired:
        return
    slot.taken -= expired
    slot.save(update_fields=["taken"])
    WaitlistEntry.objects.filter(
        booking__in=ids, booking__status=Booking.Status.EXPIRED, status=WaitlistEntry.Status.OFFERED
    ).update(status=WaitlistEntry.Status.LAPSED)


def _take_place(slot: Slot, now: dt.datetime, capacity: int) -> None:
    """Take one place of a locked slot or refuse; `capacity` is the agenda's
    (see _places)."""
    _claim_place(slot, now, capacity)
    slot.save(update_fields=["taken"])


def _claim_place(slot: Slot, now: dt.datetime, capacity: int) -> None:
    """`_take_place`, but the caller saves the slot's `taken` (hold sends it
    with its event). Lapsed holds are given back only when they are what
    stands in the way (listings discount them)."""
    if slot.start < now:
        raise Invalid(_("Ese horario ya pasó."), code="past_slot")
    if slot.taken >= _places(slot, capacity):
        _release_lapsed(slot, now)
    if slot.taken >= _places(slot, capacity):
        raise Conflict(
            _("Ese horario ya no tiene cupos. Elige otro o inscríbete en la lista de espera."),
            code="slot_full",
        )
    # The row is locked: its value is current, and the check constraint
    # guards the database against any path that forgot the lock.
    slot.taken += 1


def _give_back(slot: Slot) -> None:
    slot.taken -= 1
    slot.save(update_fields=["taken"])


# -- A new booking ---------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


TOKEN_BYTES = 16


def _create_booking(**fields: Any) -> Booking:
    for _attempt in range(5):
        # 128 random bits (22 characters): unguessable, and short enough to
        # leave the waitlist offer's SMS room for the service.
        booking = rows.create_new(
            Booking(code=_new_code(), token=secrets.token_urlsafe(TOKEN_BYTES), **fields)
        )
        if booking is not None:
            return booking
        # A code or token collision (about 1 in 10^12) inserted nothing: draw again.
    raise RuntimeError("could not draw a unique booking code")


# -- Identity and contact --------------------------------------------------


def _document(doc_type: str, number: str) -> tuple[str, str]:
    try:
        document = validate_document(doc_type, number)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), code="invalid_document") from None
    return str(document.type), document.number


def _contact(email: str, phone: str, *, waitlist: bool = False) -> tuple[str, str]:
    """The contact, cleaned; refused when there is none, saying what it is
    for: a booking's confirmation, or the waitlist's offer of a freed place."""
    email, phone = (email or "").strip().lower(), (phone or "").strip()
    if not email and not phone:
        if waitlist:
            message = _("Indica un correo o un celular para avisarte si se libera un horario.")
        else:
            message = _("Indica un correo o un celular para enviarte la confirmación.")
        raise Invalid(message, code="no_contact")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid(_("El correo no es válido."), code="invalid_email") from None
    if phone:
        phone = _normalise_phone(phone)
    return email, phone


def _normalise_phone(phone: str) -> str:
    """The number in E.164, refused unless it is a mobile: notices go by SMS,
    and the notification service refuses any other number (mac/notify)."""
    parsed = parse_phone(phone)
    if parsed is None:
        raise Invalid(_("El celular no es válido."), code="invalid_phone")
    if not parsed.mobile:
        raise Invalid(
            _("Ese número no es de celular. Escribe un celular, por ejemplo 987 654 321."),
            code="invalid_phone",
        )
    return parsed.e164


def _reachable(email: str, phone: str) -> tuple[str, str] | None:
    """A stored contact as notices can use it: a number that cannot get SMS
    (kept before numbers had to be mobiles) is left out; None when nothing
    is left."""
    if phone:
        try:
            phone = _normalise_phone(phone)
        except Invalid:
            phone = ""
    return (email, phone) if email or phone else None


def _language(language: str) -> str:
    if language not in ("es", "qu"):
        raise Invalid(_("Idioma de los avisos no disponible."), code="language")
    return language


# -- The event and the audit row -------------------------------------------


def _publish(booking: Booking, what: str, *, along: list[Statement] | None = None) -> None:
    """The booking's event, sent with the action's last writes (`along`)."""
    publish_on_commit(
        f"appointments.{booking.center_id}.{what}",
        {
            "booking": booking.pk,
            "service": booking.service_id,
            "slot": booking.slot_id,
            "status": booking.status,
        },
        along=along or (),
    )


def _audit(action: str, obj: Booking, *, by: Any, **data: Any) -> Statement:
    """The audit row of `audit.record`, as a statement to send with the event."""
    return rows.insert(audit.entry(action, obj, by=by, **data))
