"""Every write of the complaints and compliments books: file a claim (from
the portal, the API or a staff member who assists the citizen), move it
through its states, alert its officer, log reads of personal data, name an
entity's officers, file a compliment.

Nothing is stored by half. A claim is checked in full (identity, contact,
place, texts, every attachment's size and type by its content) before
anything is written; its files are written before the transaction that
numbers it and are deleted again if that transaction fails.

Numbering (ADR 0008). The (book, entity, year) counter row is locked with
SELECT ... FOR UPDATE, so two claims of one entity never get one number,
and unique constraints on the code and on (entity, year, number) guard the
database against any path that forgot the lock. The lock is taken last,
right before the inserts, so that it is held for as short as possible."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from mac.accounts.models import Role, User
from mac.catalog.models import Entity
from mac.centers.models import Center
from mac.core import access as core_access
from mac.core import audit, locks
from mac.core.calendar import to_lima
from mac.core.documents import DocumentType, validate_document
from mac.core.models import District
from mac.core.params import parse_id
from mac.core.phones import parse_phone
from mac.core.rows import lock_or_create
from mac.quality import access, deadlines, files, notices
from mac.quality.conf import MAX_ATTACHMENT_BYTES, conf
from mac.quality.errors import Conflict, Forbidden, Invalid, LimitReached, NotFound
from mac.quality.models import (
    Book,
    Channel,
    CodeSequence,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintOfficer,
    Compliment,
    LookupFailure,
    PersonalDataAccess,
)

# Longest texts accepted (characters).
MAX_NAME = 200
MAX_ADDRESS = 250
MAX_FACTS = 4000
MAX_REQUEST = 2000
MAX_UNIT = 200
MAX_ANSWER = 8000
MAX_COMPLIMENT = 2000
# Control characters other than tab and newlines: PostgreSQL refuses NUL,
# and none of them belongs in what a person writes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# -- The sheet ----------------------------------------------------------------------


@dataclass
class ClaimSheet:
    """What the claim sheet asks (Norma Técnica 001-2021-PCM-SGP). `district`
    is the 6-digit ubigeo of the address; `consent_email` None means the
    question was not answered."""

    entity: Entity | int
    channel: str
    category: str
    full_name: str
    document_type: str
    document_number: str
    address: str
    district: str
    facts: str
    request: str
    consent_email: bool | None
    center: Center | int | None = None
    email: str = ""
    phone: str = ""
    is_minor: bool = False
    representative_name: str = ""
    representative_document_type: str = ""
    representative_document_number: str = ""
    unit_involved: str = ""
    language: str = "es"


def _text(value: str, limit: int, *, field: str, label: str, required: bool = True) -> str:
    text = (value or "").strip()
    if _CONTROL.search(text):
        raise Invalid(
            _("«%(label)s» tiene caracteres no válidos.") % {"label": label},
            code="control_characters",
            field=field,
        )
    if required and not text:
        raise Invalid(
            _("Completa «%(label)s».") % {"label": label}, code=f"{field}_required", field=field
        )
    if len(text) > limit:
        raise Invalid(
            _("«%(label)s» admite hasta %(limit)s caracteres; tiene %(length)s.")
            % {"label": label, "limit": limit, "length": len(text)},
            code=f"{field}_too_long",
            field=field,
        )
    return text


def _line(value: str, limit: int, *, field: str, label: str, required: bool = True) -> str:
    """One line of text: inner runs of whitespace become one space."""
    return " ".join(_text(value, limit, field=field, label=label, required=required).split())


def _document(doc_type: str, number: str, *, field: str) -> tuple[str, str]:
    """A person's identity document, as the forms offer: a RUC names a
    company, and the sheet asks for the person who claims (or, for a
    minor, their representative)."""
    if doc_type == DocumentType.RUC:
        raise Invalid(
            _("Escribe el documento de una persona: DNI, carné de extranjería, pasaporte o CPP."),
            code="invalid_document",
            field=field,
        )
    try:
        document = validate_document(doc_type, number)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), code="invalid_document", field=field) from None
    return str(document.type), document.number


def _phone(phone: str) -> str:
    parsed = parse_phone(phone)
    if parsed is None:
        raise Invalid(
            _("El teléfono no es válido. Escribe un celular, por ejemplo 987 654 321."),
            code="invalid_phone",
            field="phone",
        )
    return parsed.e164


def _contact(email: str, phone: str, consent: bool | None) -> tuple[str, str, bool]:
    email, phone = (email or "").strip().lower(), (phone or "").strip()
    if not email and not phone:
        raise Invalid(
            _("Escribe un correo o un teléfono: por ahí te avisamos de tu reclamo."),
            code="no_contact",
            field="email",
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid(
                _("El correo no es válido. Escríbelo como nombre@ejemplo.pe."),
                code="invalid_email",
                field="email",
            ) from None
    if phone:
        phone = _phone(phone)
    if consent is None:
        raise Invalid(
            _("Indica si aceptas que te respondamos por correo electrónico."),
            code="no_consent",
            field="consent_email",
        )
    if consent and not email:
        raise Invalid(
            _("Para responderte por correo, escribe tu correo electrónico."),
            code="consent_without_email",
            field="email",
        )
    return email, phone, consent


def _entity(value: Entity | int) -> Entity:
    """An entity of the platform that serves citizens now (the forms list
    only those); a suspended or withdrawn one is refused as unknown."""
    if isinstance(value, Entity):
        entity: Entity | None = value
    else:
        pk = parse_id(value)
        entity = Entity.objects.filter(pk=pk).first() if pk is not None else None
    if entity is None or entity.status != Entity.Status.ACTIVE:
        raise Invalid(_("Elige la entidad de la lista."), code="invalid_entity", field="entity")
    return entity


def _center(value: Center | int | None) -> Center | None:
    """An operating Centro MAC (the forms list only those), or none."""
    if value is None or value == "":
        return None
    if isinstance(value, Center):
        center: Center | None = value
    else:
        pk = parse_id(value)
        center = Center.objects.filter(pk=pk).first() if pk is not None else None
    if center is None or center.status != Center.Status.OPERATING:
        raise Invalid(_("Elige el Centro MAC de la lista."), code="invalid_center", field="center")
    return center


def _place(channel: str, center: Center | None, by: Any) -> tuple[str, Center | None]:
    """Where the attention happened. Staff at a center file for their center,
    Aló MAC operators for the phone channel."""
    role = core_access.role_of(by)
    if role in (Role.ORIENTATION, Role.CENTER_COORDINATOR, Role.ADVISOR):
        return Channel.CENTER, by.center
    if role == Role.CALL_CENTER:
        return Channel.PHONE, None
    if channel not in Channel.values:
        raise Invalid(_("Indica dónde te atendieron."), code="invalid_channel", field="channel")
    if channel == Channel.CENTER and center is None:
        raise Invalid(
            _("Elige el Centro MAC donde te atendieron."), code="no_center", field="center"
        )
    return channel, center if channel == Channel.CENTER else None


def _district(code: str) -> District:
    district = District.objects.filter(code=(code or "").strip()).first()
    if district is None:
        raise Invalid(
            _("Elige el departamento, la provincia y el distrito de tu domicilio."),
            code="invalid_district",
            field="district",
        )
    return district


def _check_address(
    model: Any, field: str, address: str | None, by: Any, now: dt.datetime, *, lock: bool = False
) -> None:
    """Refuse a citizen's claim or compliment past MAX_PER_ADDRESS_DAY from
    one address in 24 hours (staff file without the limit). With `lock`,
    inside the transaction that inserts, the address's lock serialises the
    count and the insert with other requests of that address
    (`mac.core.locks`), or each would count the others' uncommitted rows as
    none; without it, a cheap early refusal before attachments are stored."""
    if not address or getattr(by, "is_authenticated", False):
        return
    if lock:
        # Keyed on the address as stored (an IPv6 one written two ways is one).
        stored = model._meta.get_field("client_address").get_prep_value(address)
        locks.hold_until_commit(f"quality.address:{model._meta.label_lower}:{stored}")
    recent = model.objects.filter(
        client_address=address, **{f"{field}__gte": now - dt.timedelta(days=1)}
    ).count()
    if recent >= conf("MAX_PER_ADDRESS_DAY"):
        raise LimitReached(
            _("Demasiados registros desde esta conexión. Inténtalo mañana o llama gratis al 1800."),
            code="limit_address",
        )


def _check_assistant(by: Any) -> None:
    if getattr(by, "is_authenticated", False) and not access.files_for_citizens(by):
        raise Forbidden(
            _("Su rol no registra reclamos por los ciudadanos."), code="role_cannot_file"
        )


# -- Attachments ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    upload: File[Any]
    kind: files.FileType
    name: str
    size: int


def _display_name(upload: File[Any]) -> str:
    raw = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    try:
        name = get_valid_filename(raw)
    except SuspiciousFileOperation:  # nothing left of it ("¿¿??", "..")
        name = ""
    return (name or _("archivo"))[:120]


def _check_attachments(uploads: Sequence[File[Any]]) -> list[_Checked]:
    if len(uploads) > conf("MAX_ATTACHMENTS"):
        raise Invalid(
            _("Adjunta como máximo %(n)s archivos.") % {"n": conf("MAX_ATTACHMENTS")},
            code="too_many_attachments",
            field="attachments",
        )
    total = sum(upload.size or 0 for upload in uploads)
    if total > MAX_ATTACHMENT_BYTES:
        raise Invalid(
            _(
                "Los archivos adjuntos suman %(size)s MB; el límite es 20 MB en total. "
                "Quita alguno o redúcelos."
            )
            % {"size": f"{total / 1024 / 1024:.1f}"},
            code="attachments_too_large",
            field="attachments",
        )
    checked = []
    for upload in uploads:
        name = _display_name(upload)
        if not upload.size:
            raise Invalid(
                _("El archivo «%(name)s» está vacío.") % {"name": name},
                code="empty_attachment",
                field="attachments",
            )
        kind = files.sniff_file(upload)  # type: ignore[arg-type]
        if kind is None:
            raise Invalid(
                _(
                    "El archivo «%(name)s» no es un PDF, JPG ni PNG. Revisamos su contenido, "
                    "no solo su nombre."
                )
                % {"name": name},
                code="attachment_type",
                field="attachments",
            )
        checked.append(_Checked(upload, kind, name, int(upload.size)))
    return checked


def _store(checked: _Checked, year: int, written: list[str]) -> ComplaintAttachment:
    digest = hashlib.sha256()
    checked.upload.seek(0)
    for chunk in checked.upload.chunks():
        digest.update(chunk)
    checked.upload.seek(0)
    path = default_storage.save(
        f"reclamos/{year}/{uuid.uuid4().hex}{checked.kind.extension}", checked.upload
    )
    written.append(path)
    return ComplaintAttachment(
        file=path,
        name=checked.name,
        content_type=checked.kind.mimetype,
        size=checked.size,
        sha256=digest.hexdigest(),
    )


def _delete_files(paths: Iterable[str]) -> None:
    for path in paths:
        default_storage.delete(path)


# -- Numbers -------------------------------------------------------------------------


def _next_number(book: str, entity: Entity, year: int) -> int:
    sequence = lock_or_create(CodeSequence, book=book, entity=entity, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _plain_acronym(acronym: str) -> str:
    plain = unicodedata.normalize("NFKD", acronym).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]", "", plain.upper())


def code_prefix(entity: Entity) -> str:
    """The entity's acronym as it goes in codes: capitals and digits only.

    Acronyms that differ only in punctuation, case or accents ("MD-SJL",
    "MDSJL") would give one prefix to two entities: the one registered first
    keeps it and the later one adds its id ("MDSJL-12"), which no acronym can
    produce (a bare prefix has no dash)."""
    bare = _plain_acronym(entity.acronym) or f"E{entity.pk}"
    earlier = Entity.objects.filter(pk__lt=entity.pk).values_list("acronym", flat=True)
    if any((_plain_acronym(other) or "") == bare for other in earlier):
        return f"{bare}-{entity.pk}"
    return bare


def _free_code(model: Any, entity: Entity, pattern: str, year: int, number: int) -> str:
    """The code of the entity's next claim or compliment. A code already held
    by another entity (one renamed since it filed under this prefix) gets
    this entity's id in the prefix instead of failing the filing."""
    prefix = code_prefix(entity)
    code = pattern.format(prefix=prefix, year=year, number=number)
    if model.objects.filter(code=code).exclude(entity=entity).exists():
        code = pattern.format(prefix=f"{prefix}-{entity.pk}", year=year, number=number)
    return code


def complaint_code(entity: Entity, year: int, number: int) -> str:
    return _free_code(Complaint, entity, "{prefix}-{year}-{number:06d}", year, number)


def compliment_code(entity: Entity, year: int, number: int) -> str:
    return _free_code(Compliment, entity, "FEL-{prefix}-{year}-{number:06d}", year, number)


# -- Filing a claim ------------------------------------------------------------------


def _clean_sheet(sheet: ClaimSheet, by: Any) -> dict[str, Any]:
    """Every field of the sheet checked and normalised, or Invalid."""
    entity = _entity(sheet.entity)
    channel, center = _place(sheet.channel, _center(sheet.center), by)
    if sheet.category not in Complaint.Category.values:
        raise Invalid(
            _("Elige el motivo de tu reclamo."), code="invalid_category", field="category"
        )
    full_name = _line(sheet.full_name, MAX_NAME, field="full_name", label=_("Nombres y apellidos"))
    doc_type, number = _document(
        sheet.document_type, sheet.document_number, field="document_number"
    )
    address = _line(sheet.address, MAX_ADDRESS, field="address", label=_("Domicilio"))
    district = _district(sheet.district)
    email, phone, consent = _contact(sheet.email, sheet.phone, sheet.consent_email)
    representative: dict[str, str] = {
        "representative_name": "",
        "representative_document_type": "",
        "representative_document_number": "",
    }
    if sheet.is_minor:
        representative["representative_name"] = _line(
            sheet.representative_name,
            MAX_NAME,
            field="representative_name",
            label=_("Nombre del padre, madre o apoderado"),
        )
        rep_type, rep_number = _document(
            sheet.representative_document_type,
            sheet.representative_document_number,
            field="representative_document_number",
        )
        representative["representative_document_type"] = rep_type
        representative["representative_document_number"] = rep_number
    return {
        "entity": entity,
        "channel": channel,
        "center": center,
        "category": sheet.category,
        "full_name": full_name,
        "document_type": doc_type,
        "document_number": number,
        "address": address,
        "district": district,
        "email": email,
        "phone": phone,
        "consent_email": consent,
        "is_minor": bool(sheet.is_minor),
        **representative,
        "facts": _text(sheet.facts, MAX_FACTS, field="facts", label=_("Descripción de los hechos")),
        "unit_involved": _line(
            sheet.unit_involved,
            MAX_UNIT,
            field="unit_involved",
            label=_("Unidad o módulo involucrado"),
            required=False,
        ),
        "request": _text(sheet.request, MAX_REQUEST, field="request", label=_("Pedido")),
        "language": sheet.language if sheet.language in ("es", "qu") else "es",
    }


def _assigned_officer(entity: Entity) -> Any:
    """The entity's officer, or the alternate when the officer's account is
    disabled; None when the entity has named nobody yet."""
    row = (
        ComplaintOfficer.objects.select_related("officer", "alternate")
        .filter(entity=entity)
        .first()
    )
    if row is None:
        return None

    def serving(user: Any) -> bool:  # active and still of the entity
        return user is not None and user.is_active and user.entity_id == entity.pk

    if serving(row.officer) or not serving(row.alternate):
        return row.officer
    return row.alternate


def file_complaint(
    sheet: ClaimSheet,
    *,
    attachments: Sequence[File[Any]] = (),
    by: Any = None,
    client_address: str | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Register a claim: a correlative code of its entity and year, the
    deadline of 30 business days, the officer assigned, the constancia and
    the alerts scheduled. `by` is the staff member who assists the citizen
    (None on the portal and the API). Raises a QualityError, having stored
    nothing, when anything is wrong."""
    now = _now(now)
    _check_assistant(by)
    fields = _clean_sheet(sheet, by)
    checked = _check_attachments(list(attachments))
    _check_address(Complaint, "filed_at", client_address, by, now)
    filed_on = to_lima(now).date()
    year = filed_on.year
    due = deadlines.due_date(filed_on)
    written: list[str] = []
    try:
        stored = [_store(item, year, written) for item in checked]
        with transaction.atomic():
            _check_address(Complaint, "filed_at", client_address, by, now, lock=True)
            entity = fields["entity"]
            officer = _assigned_officer(entity)
            # The counter's lock is held until commit: take it last.
            number = _next_number(Book.COMPLAINTS, entity, year)
            complaint = Complaint.objects.create(
                code=complaint_code(entity, year, number),
                year=year,
                number=number,
                filed_at=now,
                due_date=due,
                officer=officer,
                filed_by=by if getattr(by, "is_authenticated", False) else None,
                client_address=client_address,
                **fields,
            )
            for attachment in stored:
                attachment.complaint = complaint
            ComplaintAttachment.objects.bulk_create(stored)
            ComplaintEvent.objects.create(
                complaint=complaint,
                at=now,
                status=Complaint.Status.REGISTERED,
                by=complaint.filed_by,
            )
            audit.record(
                "quality.complaint.filed",
                complaint,
                by=by,
                code=complaint.code,
                channel=complaint.channel,
                attachments=len(stored),
            )
            notices.schedule(complaint)
    except BaseException:
        _delete_files(written)
        raise
    return complaint


# -- Looking one up ------------------------------------------------------------------


def get_complaint(
    code: str,
    document_type: str,
    document_number: str,
    *,
    client_address: str | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """The complaint with this code, only for the document it was filed
    with. A wrong pair answers like an unknown code. A public lookup passes
    its client address: past MAX_LOOKUP_FAILURES_HOUR pairs that found
    nothing in the last hour, that address is refused (LimitReached) before
    anything is looked up."""
    now = _now(now)
    if client_address:
        window = now - dt.timedelta(hours=1)
        failures = LookupFailure.objects.filter(client_address=client_address, at__gte=window)
        if failures.count() >= conf("MAX_LOOKUP_FAILURES_HOUR"):
            raise LimitReached(
                _(
                    "Demasiadas consultas sin resultado desde esta conexión. "
                    "Espera una hora o llama gratis al 1800."
                ),
                code="limit_lookups",
            )
    code = "".join((code or "").replace("\x00", "").split()).upper()
    doc_type, number = _document(document_type, document_number, field="document_number")
    complaint = (
        Complaint.objects.select_related("entity", "center")
        .filter(code=code, document_type=doc_type, document_number=number)
        .first()
    )
    if complaint is None:
        if client_address:
            LookupFailure.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()
            LookupFailure.objects.create(client_address=client_address, at=now)
        raise NotFound(
            _("No encontramos un reclamo con ese código y ese documento."),
            code="complaint_not_found",
        )
    return complaint


# -- Workflow ------------------------------------------------------------------------


def _locked(complaint_id: int, by: Any) -> Complaint:
    complaint = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("entity")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise NotFound(_("El reclamo no existe."), code="complaint_not_found")
    if by is not None and not access.handles(by, complaint):
        raise Forbidden(
            _("Solo el responsable del Libro de Reclamaciones de la entidad atiende este reclamo."),
            code="not_handler",
        )
    return complaint


def _move(
    complaint: Complaint,
    status: str,
    *,
    by: Any,
    now: dt.datetime,
    fields: list[str],
    note: str = "",
    **data: Any,
) -> None:
    previous = complaint.status
    complaint.status = status
    complaint.save(update_fields=["status", *fields])
    ComplaintEvent.objects.create(
        complaint=complaint,
        at=now,
        status=status,
        by=by if getattr(by, "is_authenticated", False) else None,
        note=note[:300],
    )
    audit.record(
        f"quality.complaint.{status}",
        complaint,
        by=by,
        code=complaint.code,
        previous=previous,
        **data,
    )


@transaction.atomic
def take_in_process(complaint_id: int, *, by: Any, now: dt.datetime | None = None) -> Complaint:
    now = _now(now)
    complaint = _locked(complaint_id, by)
    if complaint.status != Complaint.Status.REGISTERED:
        raise Conflict(
            _("Este reclamo ya está «%(status)s».") % {"status": complaint.get_status_display()},
            code="not_registered",
        )
    complaint.in_process_at = now
    _move(complaint, Complaint.Status.IN_PROCESS, by=by, now=now, fields=["in_process_at"])
    return complaint


@transaction.atomic
def answer(complaint_id: int, *, text: str, by: Any, now: dt.datetime | None = None) -> Complaint:
    """Record the entity's answer. When the citizen accepted answers by email
    it is sent at once and the complaint is notified; otherwise it waits for
    the officer to record how it was delivered."""
    now = _now(now)
    text = _text(text, MAX_ANSWER, field="answer", label=_("Respuesta"))
    complaint = _locked(complaint_id, by)
    if complaint.status != Complaint.Status.IN_PROCESS:
        raise Conflict(
            _("Solo se responde un reclamo en trámite; este está «%(status)s».")
            % {"status": complaint.get_status_display()},
            code="not_in_process",
        )
    complaint.answer = text
    complaint.answered_at = now
    complaint.answered_by = by if getattr(by, "is_authenticated", False) else None
    on_time = to_lima(now).date() <= complaint.due_date
    _move(
        complaint,
        Complaint.Status.ANSWERED,
        by=by,
        now=now,
        fields=["answer", "answered_at", "answered_by"],
        on_time=on_time,
    )
    by_email = complaint.consent_email and bool(complaint.email)
    notices.answered(complaint, by_email=by_email)
    if by_email:
        complaint.notified_at = now
        complaint.notified_via = Complaint.Delivery.EMAIL
        _move(
            complaint,
            Complaint.Status.NOTIFIED,
            by=by,
            now=now,
            fields=["notified_at", "notified_via"],
            note=_("Enviada por correo a %(email)s.") % {"email": complaint.email},
            via=Complaint.Delivery.EMAIL,
        )
    return complaint


@transaction.atomic
def record_notification(
    complaint_id: int,
    *,
    via: str,
    note: str = "",
    by: Any,
    now: dt.datetime | None = None,
) -> Complaint:
    """The answer reached the citizen by another way (at the address, in
    person...): when and how, as the officer records it."""
    now = _now(now)
    if via not in Complaint.Delivery.values:
        raise Invalid(
            _("Indica cómo se entregó la respuesta."), code="invalid_delivery", field="via"
        )
    note = _line(note, 300, field="note", label=_("Nota"), required=False)
    complaint = _locked(complaint_id, by)
    if complaint.status != Complaint.Status.ANSWERED:
        raise Conflict(
            _("Solo se registra la notificación de un reclamo respondido; este está «%(status)s».")
            % {"status": complaint.get_status_display()},
            code="not_answered",
        )
    complaint.notified_at = now
    complaint.notified_via = via
    complaint.notification_note = note
    _move(
        complaint,
        Complaint.Status.NOTIFIED,
        by=by,
        now=now,
        fields=["notified_at", "notified_via", "notification_note"],
        note=note,
        via=via,
    )
    return complaint


@transaction.atomic
def archive(complaint_id: int, *, by: Any, now: dt.datetime | None = None) -> Complaint:
    now = _now(now)
    complaint = _locked(complaint_id, by)
    if complaint.status != Complaint.Status.NOTIFIED:
        raise Conflict(
            _("Solo se archiva un reclamo con la respuesta notificada."), code="not_notified"
        )
    complaint.archived_at = now
    _move(complaint, Complaint.Status.ARCHIVED, by=by, now=now, fields=["archived_at"])
    return complaint


# -- Deadline alerts (background tasks) --------------------------------------------------


@transaction.atomic
def alert(complaint_id: int, which: str, *, now: dt.datetime | None = None) -> bool:
    """Tell the officer and the alternate that a complaint still open is due
    soon (`which`="due_soon") or overdue ("overdue"), once. False when there
    was nothing to say (answered meanwhile, already alerted, too early, or
    nobody to tell)."""
    now = _now(now)
    complaint = _locked(complaint_id, None)
    stamp = "due_soon_alerted_at" if which == "due_soon" else "overdue_alerted_at"
    if not complaint.is_open or getattr(complaint, stamp) is not None:
        return False
    today = to_lima(now).date()
    if which == "overdue" and today <= complaint.due_date:
        return False
    if which == "due_soon" and not (
        deadlines.business_days_before(complaint.due_date, conf("ALERT_BUSINESS_DAYS_BEFORE"))
        <= today
        <= complaint.due_date
    ):  # too early, or past the due date: then only "overdue" is said
        return False
    recipients = notices.staff_recipients(complaint.entity)
    setattr(complaint, stamp, now)
    complaint.save(update_fields=[stamp])
    notices.deadline_alert(complaint, which, recipients, today=today)
    audit.record(
        f"quality.complaint.{which}_alert",
        complaint,
        code=complaint.code,
        recipients=len(recipients),
    )
    return bool(recipients)


# -- Personal data access log ----------------------------------------------------------


def log_access(
    user: Any,
    purpose: str,
    records: Iterable[Complaint | Compliment],
    *,
    now: dt.datetime | None = None,
) -> int:
    """Write who read which records' personal data, when and why. Called by
    every view that shows or exports it; returns how many rows it wrote."""
    now = _now(now)
    rows = [
        PersonalDataAccess(
            at=now,
            user=user,
            username=user.get_username(),
            purpose=purpose,
            object_type=record._meta.label_lower,
            object_id=str(record.pk),
            label=record.code,
        )
        for record in records
    ]
    PersonalDataAccess.objects.bulk_create(rows, batch_size=500)
    return len(rows)


# -- Officers ---------------------------------------------------------------------------


@transaction.atomic
def save_officers(
    row: ComplaintOfficer, *, by: Any, changed_fields: Sequence[str] | None = None
) -> ComplaintOfficer:
    """Name or change an entity's officer and alternate (national
    supervisors only). Both must be active staff of that entity."""
    if core_access.role_of(by) != core_access.NATIONAL:
        raise PermissionDenied(_("Solo el nivel nacional designa a los responsables."))
    people = [row.officer] + ([row.alternate] if row.alternate_id else [])
    for person in people:
        if person is None or not person.is_active or person.entity_id != row.entity_id:
            raise ValidationError(
                _("%(user)s no es personal activo de %(entity)s.")
                % {"user": person, "entity": row.entity}
            )
    if row.alternate_id and row.alternate_id == row.officer_id:
        raise ValidationError(_("El responsable alterno debe ser otra persona."))
    created = row.pk is None
    row.save()
    audit.record(
        "quality.officers.saved",
        row,
        by=by,
        change="created" if created else "updated",
        entity=row.entity_id,
        officer=row.officer_id,
        alternate=row.alternate_id,
        designation=row.designation,
        fields=list(changed_fields or []),
    )
    return row


# -- Compliments ------------------------------------------------------------------------


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def _advisor_named(entity: Entity, center: Center | None, name: str) -> User | None:
    """The one advisor of the entity (at the center, when given) whose full
    name or user name is what the citizen wrote; None when none or several."""
    wanted = _fold(name)
    if not wanted:
        return None
    advisors = User.objects.filter(role=Role.ADVISOR, entity=entity, is_active=True)
    if center is not None:
        advisors = advisors.filter(center=center)
    matches = [
        user
        for user in advisors
        if wanted in (_fold(user.get_full_name()), _fold(user.get_username()))
    ]
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def file_compliment(
    *,
    entity: Entity | int,
    channel: str,
    text: str,
    center: Center | int | None = None,
    name: str = "",
    document_type: str = "",
    document_number: str = "",
    advisor_name: str = "",
    counter: str = "",
    by: Any = None,
    client_address: str | None = None,
    now: dt.datetime | None = None,
) -> Compliment:
    now = _now(now)
    _check_assistant(by)
    the_entity = _entity(entity)
    the_channel, the_center = _place(channel, _center(center), by)
    body = _text(text, MAX_COMPLIMENT, field="text", label=_("Tu felicitación"))
    name = _line(name, MAX_NAME, field="name", label=_("Nombre"), required=False)
    advisor_name = _line(advisor_name, 120, field="advisor_name", label=_("Asesor"), required=False)
    counter = _line(counter, 20, field="counter", label=_("Módulo"), required=False)
    doc_type, number = "", ""
    if (document_number or "").strip():
        doc_type, number = _document(document_type, document_number, field="document_number")
    _check_address(Compliment, "filed_at", client_address, by, now, lock=True)
    year = to_lima(now).date().year
    advisor = _advisor_named(the_entity, the_center, advisor_name)
    seq = _next_number(Book.COMPLIMENTS, the_entity, year)
    compliment = Compliment.objects.create(
        code=compliment_code(the_entity, year, seq),
        entity=the_entity,
        year=year,
        number=seq,
        channel=the_channel,
        center=the_center,
        name=name,
        document_type=doc_type,
        document_number=number,
        advisor_name=advisor_name,
        counter=counter,
        advisor=advisor,
        text=body,
        filed_at=now,
        filed_by=by if getattr(by, "is_authenticated", False) else None,
        client_address=client_address,
    )
    audit.record(
        "quality.compliment.filed",
        compliment,
        by=by,
        code=compliment.code,
        advisor=advisor.pk if advisor else None,
    )
    return compliment


__all__ = [
    "ClaimSheet",
    "alert",
    "answer",
    "archive",
    "file_complaint",
    "file_compliment",
    "get_complaint",
    "log_access",
    "record_notification",
    "save_officers",
    "take_in_process",
]
