"""Forms of the complaints and compliments books. They clean what a person
typed and build the action's input; the rules (documents, contact, sizes and
types of attachments) stay in actions.py, whose refusals the views put back
on these forms next to the field they are about (`add_action_error`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mac.catalog.models import Entity
from mac.centers.models import Center
from mac.core.documents import DocumentType
from mac.core.models import Department, District, Province
from mac.quality.actions import ClaimSheet
from mac.quality.errors import QualityError
from mac.quality.models import Channel, Complaint

YES_NO = [("si", _("Sí")), ("no", _("No"))]

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ActionErrors:
    """Show an action's refusal next to the field it is about, or on top."""

    fields: dict[str, Any]

    def add_action_error(self, error: QualityError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)  # type: ignore[attr-defined]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their sizes and types are checked by the
    action (by content, not by name)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def center_choices(required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("¿En qué Centro MAC?"),
        queryset=Center.objects.operating().order_by("name"),
        required=required,
        empty_label=_("Elige el Centro MAC"),
        error_messages={"invalid_choice": _("Elige el Centro MAC de la lista.")},
    )


class EntityLabel(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.acronym} — {obj.name}"


def entity_choices(label: StrOrPromise) -> EntityLabel:
    return EntityLabel(
        label=label,
        queryset=Entity.objects.filter(status=Entity.Status.ACTIVE).order_by("acronym"),
        empty_label=_("Elige la entidad"),
        error_messages={
            "required": _("Elige la entidad."),
            "invalid_choice": _("Elige la entidad de la lista."),
        },
    )


def channel_choices() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("¿Dónde te atendieron?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Indica dónde te atendieron.")},
    )


class ComplaintForm(ActionErrors, forms.Form):
    """The claim sheet (hoja de reclamación)."""

    entity = entity_choices(_("Entidad sobre la que reclamas"))
    channel = channel_choices()
    center = center_choices()
    category = forms.ChoiceField(
        label=_("¿Sobre qué es tu reclamo?"),
        choices=Complaint.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Elige el motivo de tu reclamo.")},
    )
    full_name = forms.CharField(
        label=_("Nombres y apellidos"),
        max_length=200,
        error_messages={"required": _("Escribe tus nombres y apellidos.")},
    )
    document_type = forms.ChoiceField(
        label=_("Tipo de documento"),
        choices=[c for c in DocumentType.choices if c[0] != DocumentType.RUC],
        initial=DocumentType.DNI,
    )
    document_number = forms.CharField(
        label=_("Número de documento"),
        max_length=20,
        error_messages={"required": _("Escribe el número de documento.")},
    )
    address = forms.CharField(
        label=_("Domicilio (calle, número, urbanización)"),
        max_length=250,
        error_messages={"required": _("Escribe tu domicilio.")},
    )
    department = forms.ModelChoiceField(
        label=_("Departamento"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Elige el departamento"),
    )
    province = forms.ModelChoiceField(
        label=_("Provincia"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("Elige la provincia"),
    )
    district = forms.ModelChoiceField(
        label=_("Distrito"),
        queryset=District.objects.all(),
        empty_label=_("Elige el distrito"),
        error_messages={
            "required": _("Elige el distrito de tu domicilio."),
            "invalid_choice": _("Elige el distrito de la lista."),
        },
    )
    email = forms.EmailField(
        label=_("Correo electrónico"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("El correo no es válido. Escríbelo como nombre@ejemplo.pe.")},
    )
    phone = forms.CharField(label=_("Celular o teléfono"), required=False, max_length=20)
    is_minor = forms.BooleanField(
        label=_("El reclamo es de una persona menor de edad (lo presenta su padre, madre o tutor)"),
        required=False,
    )
    representative_name = forms.CharField(
        label=_("Nombres y apellidos del padre, madre o tutor"), required=False, max_length=200
    )
    representative_document_type = forms.ChoiceField(
        label=_("Tipo de documento del padre, madre o tutor"),
        choices=[c for c in DocumentType.choices if c[0] != DocumentType.RUC],
        initial=DocumentType.DNI,
        required=False,
    )
    representative_document_number = forms.CharField(
        label=_("Número de documento del padre, madre o tutor"), required=False, max_length=20
    )
    facts = forms.CharField(
        label=_("¿Qué pasó? Descripción de los hechos"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": _("Cuenta qué pasó.")},
    )
    unit_involved = forms.CharField(
        label=_("Unidad, módulo o ventanilla involucrada"), required=False, max_length=200
    )
    request = forms.CharField(
        label=_("¿Qué pides? Tu pedido"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Escribe qué pides a la entidad.")},
    )
    attachments = MultipleFileField(label=_("Archivos adjuntos"), required=False)
    consent_email = forms.ChoiceField(
        label=_("¿Aceptas que te respondamos por correo electrónico?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Indica si aceptas que te respondamos por correo electrónico.")
        },
    )

    def __init__(self, *args: Any, fixed_place: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_place:
            # Staff at a center or on the phone: the place is theirs.
            del self.fields["channel"]
            del self.fields["center"]
        self._narrow_ubigeo()

    def _narrow_ubigeo(self) -> None:
        """Provinces of the chosen department and districts of the chosen
        province (htmx refreshes them; without JavaScript, the form is sent
        back with "Mostrar" and comes back narrowed)."""
        department = self._value("department") or self._value("district")[:2]
        province = self._value("province") or self._value("district")[:4]
        if province and not province.startswith(department or province[:2]):
            province = ""
        fields = self.fields
        fields["province"].queryset = Province.objects.filter(  # type: ignore[attr-defined]
            department_id=department or "--"
        )
        fields["district"].queryset = District.objects.filter(  # type: ignore[attr-defined]
            province_id=province or "----"
        )
        self.department_code, self.province_code = department, province

    def _value(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "").strip()
        return str(self.initial.get(name, "") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == Channel.CENTER and not data.get("center"):
            self.add_error("center", _("Elige el Centro MAC donde te atendieron."))
        return data

    def sheet(self, language: str = "es") -> ClaimSheet:
        data = self.cleaned_data
        center = data.get("center")
        return ClaimSheet(
            entity=data["entity"],
            channel=data.get("channel") or "",
            center=center if data.get("channel") == Channel.CENTER else None,
            category=data["category"],
            full_name=data["full_name"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            address=data["address"],
            district=data["district"].code,
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            is_minor=bool(data.get("is_minor")),
            representative_name=data.get("representative_name") or "",
            representative_document_type=data.get("representative_document_type") or "",
            representative_document_number=data.get("representative_document_number") or "",
            facts=data["facts"],
            unit_involved=data.get("unit_involved") or "",
            request=data["request"],
            consent_email={"si": True, "no": False}.get(data.get("consent_email", "")),
            language=language,
        )


class TriageForm(forms.Form):
    # Named as the query string says it: /reclamaciones/?motivo=consulta
    motivo = forms.ChoiceField(
        label=_("¿Qué quieres hacer?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Elige una opción para continuar."),
            "invalid_choice": _("Elige una opción de la lista para continuar."),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motivo"].choices = choices  # type: ignore[attr-defined]


class LookupForm(ActionErrors, forms.Form):
    code = forms.CharField(
        label=_("Código del reclamo"),
        max_length=40,
        error_messages={"required": _("Escribe el código de tu reclamo.")},
    )
    document_type = forms.ChoiceField(
        label=_("Tipo de documento"),
        choices=[c for c in DocumentType.choices if c[0] != DocumentType.RUC],
        initial=DocumentType.DNI,
    )
    document_number = forms.CharField(
        label=_("Número de documento"),
        max_length=20,
        error_messages={"required": _("Escribe el número de documento.")},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


# -- Staff ----------------------------------------------------------------------------


class AnswerForm(ActionErrors, forms.Form):
    answer = forms.CharField(
        label=_("Respuesta al ciudadano"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Escribe la respuesta.")},
    )


class NotificationForm(ActionErrors, forms.Form):
    via = forms.ChoiceField(
        label=_("¿Cómo se entregó la respuesta?"),
        choices=[c for c in Complaint.Delivery.choices if c[0] != Complaint.Delivery.EMAIL],
        widget=forms.RadioSelect,
        error_messages={"required": _("Indica cómo se entregó la respuesta.")},
    )
    note = forms.CharField(
        label=_("Nota (fecha de entrega, cargo, quién recibió)"), required=False, max_length=300
    )


# -- Compliments -------------------------------------------------------------------------


class ComplimentForm(ActionErrors, forms.Form):
    entity = entity_choices(_("Entidad que te atendió"))
    channel = channel_choices()
    center = center_choices()
    advisor_name = forms.CharField(label=_("Nombre del asesor"), required=False, max_length=120)
    counter = forms.CharField(label=_("Módulo o ventanilla"), required=False, max_length=20)
    text = forms.CharField(
        label=_("Tu felicitación"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Escribe tu felicitación.")},
    )
    name = forms.CharField(label=_("Tu nombre"), required=False, max_length=200)
    document_type = forms.ChoiceField(
        label=_("Tipo de documento"),
        choices=[c for c in DocumentType.choices if c[0] != DocumentType.RUC],
        initial=DocumentType.DNI,
        required=False,
    )
    document_number = forms.CharField(label=_("Número de documento"), required=False, max_length=20)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("channel") == Channel.CENTER and not data.get("center"):
            self.add_error("center", _("Elige el Centro MAC donde te atendieron."))
        return data
