"""Identity documents accepted by the platform (DOMAIN.md, "Identity documents")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pe import cui, ruc


class DocumentType(models.TextChoices):
    DNI = "dni", _("DNI")
    RUC = "ruc", _("RUC")
    CE = "ce", _("Carné de Extranjería")
    PASSPORT = "passport", _("Pasaporte")
    CPP = "cpp", _("CPP / PTP")


_ALNUM = re.compile(r"[A-Z0-9]+")
# Eight ASCII digits and an optional check character (a digit or a letter).
# str.isdigit() would also accept other scripts' digits such as "١" or "²".
_DNI = re.compile(r"[0-9]{8}[0-9A-Z]?")
# Lengths seen on the documents Migraciones issues; passports vary by country.
_ALNUM_LENGTHS = {
    DocumentType.CE: (8, 12),
    DocumentType.PASSPORT: (6, 15),
    DocumentType.CPP: (8, 12),
}


@dataclass(frozen=True)
class Document:
    type: DocumentType
    number: str

    def masked(self) -> str:
        """For screens that must not show personal data in full."""
        return "•" * (len(self.number) - 3) + self.number[-3:]


def _compact(number: str) -> str:
    return re.sub(r"[\s\-.]", "", number or "").upper()


def validate_document(doc_type: str, number: str) -> Document:
    """Return the normalised document or raise ValidationError (Spanish message).

    DNI keeps its 8 digits: the check character, when given, is verified and
    dropped, because citizens write it only sometimes.
    """
    try:
        kind = DocumentType(doc_type)
    except ValueError:
        raise ValidationError(_("Tipo de documento desconocido."), code="doc_type") from None
    value = _compact(number)
    if not value:
        raise ValidationError(_("Ingresa el número de documento."), code="required")
    if kind == DocumentType.DNI:
        if not _DNI.fullmatch(value):
            raise ValidationError(_("El DNI tiene 8 dígitos."), code="dni")
        try:
            cui.validate(value)
        except StdnumError:
            raise ValidationError(
                _("El dígito de verificación del DNI no corresponde."), code="dni_check"
            ) from None
        return Document(kind, value[:8])
    if kind == DocumentType.RUC:
        try:
            return Document(kind, ruc.validate(value))
        except StdnumError:
            raise ValidationError(
                _("El RUC tiene 11 dígitos y un dígito de verificación válido."), code="ruc"
            ) from None
    low, high = _ALNUM_LENGTHS[kind]
    if not _ALNUM.fullmatch(value) or not low <= len(value) <= high:
        raise ValidationError(
            _("El documento debe tener entre %(low)d y %(high)d letras o números."),
            code="alnum",
            params={"low": low, "high": high},
        )
    return Document(kind, value)


def is_valid_document(doc_type: str, number: str) -> bool:
    try:
        validate_document(doc_type, number)
    except ValidationError:
        return False
    return True
