"""Forms of the public appointment pages. They only clean what a citizen
typed; the rules (limits, holds, slots) stay in the actions (actions/), whose
refusals the views map back onto these fields with `add_action_error`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mac.appointments.errors import AppointmentError
from mac.core.documents import DocumentType, validate_document
from mac.queueing.models import Language

LANGUAGE_CHOICES = [("es", _("Castellano")), ("qu", _("Runasimi (quechua)"))]

# Where a refusal of an action belongs on the form (its `code`).
ACTION_ERROR_FIELDS = {
    "invalid_document": "document_number",
    "no_contact": "email",
    "invalid_email": "email",
    "invalid_phone": "phone",
    "language": "language",
    "attention_language": "attention_language",
    "language_unavailable": "attention_language",
}


class ActionErrors:
    """Show an action's refusal next to the field it is about, or on top."""

    fields: dict[str, Any]

    def add_action_error(self, error: AppointmentError) -> None:
        field = ACTION_ERROR_FIELDS.get(error.code)
        self.add_error(field if field in self.fields else None, error.message)  # type: ignore[attr-defined]


class AttentionLanguage(forms.Form):
    """The language the person is attended in at the center, among those
    given (`queries.attention_languages`: Spanish and those an active counter
    of the center serves the service in). The first is preselected unless
    `initial` names another of them. A form sent without it (a page loaded
    before the field existed) leaves it "": the booking keeps its own
    (Spanish, or a waitlist offer's chosen when joining)."""

    attention_language = forms.ChoiceField(
        label=_("Lengua de atención"),
        help_text=_(
            "En qué lengua te atenderán en el centro. Solo aparecen las lenguas en que este"
            " centro atiende este trámite."
        ),
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": _(
                "El centro ya no atiende este trámite en esa lengua. Elige una de la lista."
            ),
        },
    )

    def __init__(self, *args: Any, attention: Sequence[str] = ("es",), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attention_language"]
        field.choices = [(code, Language(code).label) for code in attention]  # type: ignore[attr-defined]
        if self.initial.get("attention_language") not in attention:
            self.initial["attention_language"] = attention[0]


class DocumentForm(ActionErrors, forms.Form):
    document_type = forms.ChoiceField(
        label=_("Tipo de documento"), choices=DocumentType.choices, initial=DocumentType.DNI
    )
    document_number = forms.CharField(
        label=_("Número de documento"),
        max_length=20,
        error_messages={"required": _("Ingresa el número de documento.")},
    )

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


class ContactForm(AttentionLanguage, DocumentForm):
    """Who the appointment is for, where to send its notices and in which
    language they are attended."""

    missing_contact: Any = _("Indica un correo o un celular para enviarte la confirmación.")

    email = forms.EmailField(
        label=_("Correo electrónico"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Escribe un correo válido, como nombre@ejemplo.pe.")},
    )
    phone = forms.CharField(label=_("Celular"), required=False, max_length=20)
    language = forms.ChoiceField(
        label=_("Idioma de los avisos"),
        choices=LANGUAGE_CHOICES,
        initial="es",
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", self.missing_contact)
        return data


class WaitlistForm(ContactForm):
    """Who waits for a freed place and where to offer it: joining confirms
    nothing yet."""

    missing_contact = _("Indica un correo o un celular para avisarte si se libera un horario.")


class RepeatDocumentForm(ActionErrors, AttentionLanguage):
    """A waitlist offer already carries the document: the citizen types its
    number again to show the offer is theirs. The language of attention
    chosen when joining is preselected while the center still serves it."""

    document_number = forms.CharField(
        label=_("Vuelve a escribir tu número de documento"),
        max_length=20,
        error_messages={"required": _("Ingresa el número de documento.")},
    )

    def __init__(
        self,
        *args: Any,
        document_type: str,
        expected: str,
        attention: Sequence[str] = ("es",),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, attention=attention, **kwargs)
        self.document_type, self.expected = document_type, expected

    def clean_document_number(self) -> str:
        typed = self.cleaned_data["document_number"]
        try:
            number = validate_document(self.document_type, typed).number
        except ValidationError:
            number = ""
        if number != self.expected:
            raise ValidationError(
                _("Ese número no coincide con el documento inscrito en la lista de espera."),
                code="mismatch",
            )
        return number


class LookupForm(DocumentForm):
    code = forms.CharField(
        label=_("Código de la cita"),
        max_length=12,
        error_messages={"required": _("Ingresa el código de tu cita.")},
    )

    field_order = ["code", "document_type", "document_number"]

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


def parse_day(raw: str | None) -> dt.date | None:
    """A `dia` parameter (YYYY-MM-DD) or None when absent or malformed."""
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return None
