"""Forms of the kiosk and the orientation desk. Queue rules stay in
mac.queueing.actions; these only clean what a person typed."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mac.core.calendar import LIMA
from mac.core.documents import DocumentType, validate_document
from mac.queueing.models import CancelReason, Language, PriorityReason

# Each form signs its keys with its own salt, so that a key of one form is
# refused by the other (a walk-in key would find its ticket but no booking).
KEY_SALT = "mac.screens.kiosk.key"
CHECKIN_KEY_SALT = "mac.screens.kiosk.checkin-key"
KEY_MAX_AGE = 2 * 60 * 60  # a form left open longer than this is stale

NO_DOCUMENT = ("", _("Sin documento"))


def new_form_key(salt: str = KEY_SALT) -> str:
    """A one-time key for a ticket form, signed so that only keys this server
    handed out for that form are accepted."""
    return signing.TimestampSigner(salt=salt).sign(secrets.token_urlsafe(16))


def read_form_key(value: str, salt: str = KEY_SALT, message: Any = None) -> str:
    """The raw key inside a signed form key; raise ValidationError if forged,
    stale or made for another form."""
    try:
        return signing.TimestampSigner(salt=salt).unsign(value, max_age=KEY_MAX_AGE)
    except signing.BadSignature:
        message = message or _("El formulario caducó. Vuelve a elegir el servicio.")
        raise ValidationError(message, code="key") from None


CHECKIN_KEY_EXPIRED = _("El formulario caducó. Vuelve a escribir el código de tu cita.")


class CitizenForm(forms.Form):
    """What a citizen may declare: an optional document, priority attention
    (Ley 28683) and the language they need (Ley 29735). The kiosk's citizen
    and the desk's staff read its error in their own voice (tú, usted)."""

    document_missing: Any = _("Ingrese el número de documento.")

    document_type = forms.ChoiceField(
        label=_("Tipo de documento"),
        choices=[NO_DOCUMENT, *DocumentType.choices],
        required=False,
    )
    document_number = forms.CharField(
        label=_("Número de documento"), max_length=20, required=False, strip=True
    )
    priority_reason = forms.ChoiceField(
        label=_("Atención preferente"),
        choices=PriorityReason.choices,
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Lengua en la que deseas ser atendido"),
        choices=Language.choices,
        initial=Language.SPANISH,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("document_type", "")
        number = data.get("document_number", "")
        if number and not kind:
            kind = DocumentType.DNI
        if kind and not number:
            self.add_error("document_number", self.document_missing)
        elif number:
            try:
                document = validate_document(kind, number)
            except ValidationError as exc:
                self.add_error("document_number", exc)
            else:
                data["document_type"], data["document_number"] = document.type, document.number
        return data


class KioskForm(CitizenForm):
    document_missing = _("Ingresa el número de documento.")
    key = forms.CharField(widget=forms.HiddenInput)

    def clean_key(self) -> str:
        return read_form_key(self.cleaned_data["key"])


class DeskForm(CitizenForm):
    """The orientation desk: one or more services on one visit, optionally an
    appointment check-in for the first one."""

    appointment_time = forms.TimeField(
        label=_("Hora de la cita (si tiene cita)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document_type"].widget.attrs["class"] = "select"
        self.fields["language"].label = _("Lengua")  # the kiosk's label speaks to the citizen

    def appointment_at(self, today: dt.date) -> dt.datetime | None:
        time = self.cleaned_data.get("appointment_time")
        if time is None:
            return None
        return dt.datetime.combine(today, time, tzinfo=LIMA)


class ReprintForm(forms.Form):
    code = forms.CharField(
        label=_("Código del ticket"),
        max_length=12,
        error_messages={"required": _("Escriba el código del ticket.")},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


class WaitingLookupForm(forms.Form):
    """The orientation desk finds a waiting ticket of today by its code."""

    codigo = forms.CharField(
        label=_("Código del ticket en espera"),
        max_length=12,
        error_messages={"required": _("Escriba el código del ticket.")},
    )

    def clean_codigo(self) -> str:
        return "".join(self.cleaned_data["codigo"].split()).upper()


class CancelForm(forms.Form):
    """Why the desk cancels a waiting ticket; `confirmar` once staff have
    seen that it cannot be undone."""

    motivo = forms.ChoiceField(
        label=_("Motivo de la anulación"),
        choices=[("", _("Elija el motivo")), *CancelReason.choices],
        error_messages={
            "required": _("Elija el motivo de la anulación."),
            "invalid_choice": _("Elija el motivo de la anulación."),
        },
    )
    confirmar = forms.BooleanField(required=False)


class KioskDeviceForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre del equipo"),
        max_length=60,
        help_text=_("Por ejemplo: Kiosko 1, junto a la entrada."),
    )


class CheckinForm(forms.Form):
    """A citizen with an appointment: its code (typed, or by the QR reader,
    which types it followed by Enter) and the document it was booked with.
    The orientation desk's staff fill it in; the kiosk's form speaks to the
    citizen."""

    code = forms.CharField(
        label=_("Código de la cita"),
        max_length=12,
        error_messages={"required": _("Escriba el código de su cita o acerque el código QR.")},
    )
    document_type = forms.ChoiceField(
        label=_("Tipo de documento"), choices=DocumentType.choices, initial=DocumentType.DNI
    )
    document_number = forms.CharField(
        label=_("Número de documento"),
        max_length=20,
        error_messages={"required": _("Ingrese el número de documento.")},
    )
    # Blank: the language of the booking (or the one chosen on the kiosk).
    # Staff choose another when no counter has it (Spanish, or an interpreter's).
    language = forms.ChoiceField(
        label=_("Lengua de atención"),
        choices=[("", _("La de la reserva")), *Language.choices],
        required=False,
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, number = data.get("document_type"), data.get("document_number")
        if kind and number:
            try:
                document = validate_document(kind, number)
            except ValidationError as exc:
                self.add_error("document_number", exc)
            else:
                data["document_type"], data["document_number"] = str(document.type), document.number
        return data


class KioskCheckinForm(CheckinForm):
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = _(
            "Escribe el código de tu cita o acerca el código QR."
        )
        self.fields["document_number"].error_messages["required"] = _(
            "Ingresa el número de documento."
        )

    def clean_key(self) -> str:
        return read_form_key(self.cleaned_data["key"], CHECKIN_KEY_SALT, CHECKIN_KEY_EXPIRED)
