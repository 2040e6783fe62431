"""The complaints book (Libro de Reclamaciones, DS 007-2020-PCM and Norma
Técnica 001-2021-PCM-SGP) and the compliments book.

A complaint (reclamo) is dissatisfaction with the attention. It gets a
correlative code unique per entity and year (`RENIEC-2026-000123`), numbered
under the row lock of its (book, entity, year) counter and guarded by unique
constraints, and an answer deadline of 30 business days counted from the day
after filing. Each entity names a responsible officer and an alternate
(ComplaintOfficer). Reading a complaint's personal data is logged
(PersonalDataAccess, Ley 29733)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mac.catalog.models import Entity
from mac.centers.models import Center
from mac.core.documents import DocumentType
from mac.core.models import District


class Channel(models.TextChoices):
    """Where the citizen was attended (or not)."""

    CENTER = "center", _("Centro MAC")
    PHONE = "phone", _("Aló MAC (teléfono)")
    PORTAL = "portal", _("Portal MAC, correo o chat")
    EXPRESS = "express", _("MAC Express")


class Book(models.TextChoices):
    COMPLAINTS = "complaints", _("Libro de Reclamaciones")
    COMPLIMENTS = "compliments", _("Libro de felicitaciones")


class CodeSequence(models.Model):
    """The last number given in a book to an entity in a year. Locked while
    numbering, so numbers are unique and without gaps."""

    book = models.CharField(max_length=12, choices=Book.choices)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("correlativo")
        verbose_name_plural = _("correlativos")
        constraints = [
            models.UniqueConstraint(
                fields=["book", "entity", "year"], name="quality_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.book} {self.entity_id} {self.year}: {self.last_number}"


class ComplaintOfficer(models.Model):
    """The officer responsible for an entity's complaints book and the
    alternate who acts in their absence (DS 007-2020-PCM)."""

    entity = models.OneToOneField(
        Entity,
        verbose_name=_("entidad"),
        on_delete=models.CASCADE,
        related_name="complaint_officer",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable del Libro de Reclamaciones"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    alternate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable alterno"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    designation = models.CharField(
        _("documento de designación"),
        max_length=200,
        blank=True,
        help_text=_("Por ejemplo, la resolución que designa al responsable."),
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        ordering = ["entity"]
        verbose_name = _("responsable del Libro de Reclamaciones")
        verbose_name_plural = _("responsables del Libro de Reclamaciones")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(officer=models.F("alternate")),
                name="complaint_officer_not_own_alternate",
            )
        ]

    def __str__(self) -> str:
        return str(self.entity)


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def open(self) -> ComplaintQuerySet:
        """Not yet answered: the deadline still runs."""
        return self.filter(status__in=Complaint.OPEN_STATUSES)


class Complaint(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registrado")
        IN_PROCESS = "in_process", _("En trámite")
        ANSWERED = "answered", _("Respondido")
        NOTIFIED = "notified", _("Respuesta notificada")
        ARCHIVED = "archived", _("Archivado")

    class Category(models.TextChoices):
        TREATMENT = "trato", _("Trato recibido")
        DELAY = "demora", _("Demora o tiempo de espera")
        INFORMATION = "informacion", _("Información recibida")
        INFRASTRUCTURE = "infraestructura", _("Infraestructura o accesibilidad")
        OTHER = "otro", _("Otro motivo")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("Correo electrónico")
        ADDRESS = "address", _("En el domicilio")
        IN_PERSON = "in_person", _("En persona")
        OTHER = "other", _("Otro medio")

    OPEN_STATUSES = (Status.REGISTERED, Status.IN_PROCESS)

    code = models.CharField(_("código"), max_length=60, unique=True)
    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="complaints"
    )
    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveIntegerField(_("número"))
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    center = models.ForeignKey(
        Center,
        verbose_name=_("Centro MAC"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    category = models.CharField(_("motivo"), max_length=16, choices=Category.choices)
    status = models.CharField(
        _("estado"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    filed_at = models.DateTimeField(_("fecha y hora del reclamo"))
    due_date = models.DateField(_("fecha límite de respuesta"))

    # The person (personal data: every read by staff is logged).
    full_name = models.CharField(_("nombres y apellidos"), max_length=200)
    document_type = models.CharField(
        _("tipo de documento"), max_length=10, choices=DocumentType.choices
    )
    document_number = models.CharField(_("número de documento"), max_length=15)
    address = models.CharField(_("domicilio"), max_length=250)
    district = models.ForeignKey(
        District, verbose_name=_("distrito"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("celular o teléfono"), max_length=16, blank=True)
    is_minor = models.BooleanField(_("menor de edad"), default=False)
    representative_name = models.CharField(
        _("padre, madre o apoderado"), max_length=200, blank=True
    )
    representative_document_type = models.CharField(
        _("tipo de documento del apoderado"),
        max_length=10,
        choices=DocumentType.choices,
        blank=True,
    )
    representative_document_number = models.CharField(
        _("documento del apoderado"), max_length=15, blank=True
    )
    consent_email = models.BooleanField(_("acepta la respuesta por correo"))
    language = models.CharField(_("idioma de los avisos"), max_length=5, default="es")

    # The claim.
    facts = models.TextField(_("descripción de los hechos"))
    unit_involved = models.CharField(_("unidad o módulo involucrado"), max_length=200, blank=True)
    request = models.TextField(_("pedido"))

    # Workflow.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsable asignado"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_assigned",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrado con ayuda de"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_filed",
    )
    in_process_at = models.DateTimeField(_("en trámite desde"), null=True, blank=True)
    answered_at = models.DateTimeField(_("respondido"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondido por"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_answered",
    )
    answer = models.TextField(_("respuesta"), blank=True)
    notified_at = models.DateTimeField(_("respuesta notificada"), null=True, blank=True)
    notified_via = models.CharField(
        _("medio de notificación"), max_length=10, choices=Delivery.choices, blank=True
    )
    notification_note = models.CharField(_("nota de la notificación"), max_length=300, blank=True)
    archived_at = models.DateTimeField(_("archivado"), null=True, blank=True)
    due_soon_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    client_address = models.GenericIPAddressField(_("dirección del cliente"), null=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("reclamo")
        verbose_name_plural = _("reclamos")
        indexes = [
            models.Index(fields=["entity", "status", "due_date"]),
            models.Index(fields=["document_type", "document_number"]),
            models.Index(fields=["client_address", "filed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "year", "number"], name="complaint_number_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(email="") | ~models.Q(phone=""), name="complaint_has_contact"
            ),
            models.CheckConstraint(
                condition=models.Q(consent_email=False) | ~models.Q(email=""),
                name="complaint_consent_needs_email",
            ),
            models.CheckConstraint(
                condition=models.Q(is_minor=False) | ~models.Q(representative_name=""),
                name="complaint_minor_represented",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel="center") | models.Q(center__isnull=False),
                name="complaint_center_channel_has_center",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ComplaintEvent(models.Model):
    """Append-only history of a complaint's states."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("cuándo"))
    status = models.CharField(_("estado"), max_length=12, choices=Complaint.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("nota"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("cambio de estado del reclamo")
        verbose_name_plural = _("cambios de estado de reclamos")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.status} {self.at:%Y-%m-%d %H:%M}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    # Stored under a random name with the extension of the sniffed type, never
    # the citizen's file name (kept in `name`, for display only).
    file = models.FileField(_("archivo"), upload_to="reclamos/", max_length=200)
    name = models.CharField(_("nombre original"), max_length=120)
    content_type = models.CharField(_("tipo"), max_length=40)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("archivo adjunto")
        verbose_name_plural = _("archivos adjuntos")

    def __str__(self) -> str:
        return self.name


class PersonalDataAccess(models.Model):
    """Who read whose personal data, when and why (Ley 29733; DS 016-2024-JUS).
    Append-only, written by the views that show or export personal data."""

    class Purpose(models.TextChoices):
        DETAIL = "detail", _("Ver el detalle")
        ATTACHMENT = "attachment", _("Descargar un adjunto")
        CONSTANCIA = "constancia", _("Descargar la constancia")
        EXPORT = "export", _("Exportar a CSV")
        LIST = "list", _("Ver la lista de felicitaciones")

    at = models.DateTimeField(_("cuándo"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("usuario"), max_length=150)
    purpose = models.CharField(_("para qué"), max_length=12, choices=Purpose.choices)
    object_type = models.CharField(_("tipo de registro"), max_length=80)
    object_id = models.CharField(_("id del registro"), max_length=64)
    label = models.CharField(_("registro"), max_length=80)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("acceso a datos personales")
        verbose_name_plural = _("accesos a datos personales")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.purpose} {self.label}"


class LookupFailure(models.Model):
    """A public lookup (code and document) that matched no claim, by client
    address: codes are correlative, so a stranger who knows a citizen's DNI
    could try them one by one. Kept one day."""

    client_address = models.GenericIPAddressField(_("dirección del cliente"))
    at = models.DateTimeField(_("cuándo"), db_index=True)

    class Meta:
        verbose_name = _("consulta fallida")
        verbose_name_plural = _("consultas fallidas")
        indexes = [models.Index(fields=["client_address", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.client_address}"


class Compliment(models.Model):
    """A felicitación: optional name and document, about an entity and, when
    given, a center and an advisor or counter."""

    code = models.CharField(_("código"), max_length=60, unique=True)
    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="compliments"
    )
    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveIntegerField(_("número"))
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    center = models.ForeignKey(
        Center,
        verbose_name=_("Centro MAC"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compliments",
    )
    name = models.CharField(_("nombre"), max_length=200, blank=True)
    document_type = models.CharField(
        _("tipo de documento"), max_length=10, choices=DocumentType.choices, blank=True
    )
    document_number = models.CharField(_("número de documento"), max_length=15, blank=True)
    advisor_name = models.CharField(_("asesor (como lo escribió)"), max_length=120, blank=True)
    counter = models.CharField(_("módulo o ventanilla"), max_length=20, blank=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asesor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="compliments",
    )
    text = models.TextField(_("felicitación"))
    filed_at = models.DateTimeField(_("fecha y hora"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrada con ayuda de"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    client_address = models.GenericIPAddressField(_("dirección del cliente"), null=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("felicitación")
        verbose_name_plural = _("felicitaciones")
        indexes = [models.Index(fields=["client_address", "filed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "year", "number"], name="compliment_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.code
