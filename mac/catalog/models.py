from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mac.centers.models import Center
from mac.core.calendar import today_lima


class Entity(models.Model):
    """A participating entity (entidad participante) bound by its adhesion clause."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("Nacional")
        REGIONAL = "regional", _("Regional")
        LOCAL = "local", _("Local")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Activa")
        SUSPENDED = "suspended", _("Suspendida")
        WITHDRAWN = "withdrawn", _("Retirada")

    name = models.CharField(_("nombre"), max_length=200, unique=True)
    acronym = models.CharField(_("sigla"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    level = models.CharField(_("nivel de gobierno"), max_length=10, choices=Level.choices)
    sector = models.CharField(_("sector"), max_length=120)
    adhesion_date = models.DateField(_("fecha de adhesión"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    website = models.URLField(_("sitio web"), blank=True)
    is_illustrative = models.BooleanField(_("dato ilustrativo"), default=False)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("entidad")
        verbose_name_plural = _("entidades")

    def __str__(self) -> str:
        return self.acronym


class Category(models.Model):
    """A theme (categoría) or a life event (hecho de vida) that groups services."""

    class Kind(models.TextChoices):
        CATEGORY = "category", _("Categoría")
        LIFE_EVENT = "life_event", _("Hecho de vida")

    name = models.CharField(_("nombre"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices, default=Kind.CATEGORY)
    description = models.CharField(_("descripción"), max_length=250, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("categoría")
        verbose_name_plural = _("categorías")

    def __str__(self) -> str:
        return self.name


class UIT(models.Model):
    """Unidad Impositiva Tributaria of a year, set each year by decree."""

    year = models.PositiveSmallIntegerField(_("año"), unique=True)
    value = models.DecimalField(_("valor (S/)"), max_digits=9, decimal_places=2)
    legal_basis = models.CharField(_("norma"), max_length=120, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("UIT")
        verbose_name_plural = _("valores de la UIT")

    def __str__(self) -> str:
        return f"UIT {self.year}: S/ {self.value}"

    @classmethod
    def for_year(cls, year: int) -> UIT | None:
        """The UIT of the year, or of the latest earlier year if not yet set."""
        return cls.objects.filter(year__lte=year).order_by("-year").first()


class ServiceQuerySet(models.QuerySet["Service"]):
    def published(self) -> ServiceQuerySet:
        return self.filter(status=Service.Status.PUBLISHED, entity__status=Entity.Status.ACTIVE)


class Service(models.Model):
    """A procedure or service (trámite / servicio) with its TUPA fields
    (TUO Ley 27444, art. 44)."""

    class Qualification(models.TextChoices):
        AUTOMATIC = "automatic", _("Aprobación automática")
        PRIOR_EVALUATION = "prior_evaluation", _("Evaluación previa")
        SERVICE = "service", _("Servicio prestado en exclusividad")

    class Silence(models.TextChoices):
        NONE = "", _("No aplica")
        POSITIVE = "positive", _("Silencio positivo")
        NEGATIVE = "negative", _("Silencio negativo")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Publicado")
        DRAFT = "draft", _("Borrador")
        WITHDRAWN = "withdrawn", _("Retirado")

    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="services"
    )
    code = models.CharField(_("código"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    name = models.CharField(_("denominación (TUPA)"), max_length=300)
    plain_name = models.CharField(
        _("nombre en lenguaje claro"), max_length=160, help_text=_("Cómo lo diría un ciudadano.")
    )
    description = models.TextField(_("descripción"), blank=True)
    qualification = models.CharField(
        _("calificación"), max_length=20, choices=Qualification.choices
    )
    silence = models.CharField(
        _("silencio administrativo"), max_length=10, choices=Silence.choices, blank=True
    )
    fee = models.DecimalField(
        _("derecho de tramitación (S/)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vacío si es gratuito."),
    )
    fee_notes = models.CharField(_("notas sobre el pago"), max_length=250, blank=True)
    deadline_days = models.PositiveSmallIntegerField(
        _("plazo (días hábiles)"), null=True, blank=True, help_text=_("Vacío si es inmediato.")
    )
    competent_unit = models.CharField(_("unidad competente"), max_length=200)
    legal_basis = models.TextField(_("base legal"))
    reconsideration_authority = models.CharField(
        _("autoridad que resuelve la reconsideración"), max_length=200, blank=True
    )
    appeal_authority = models.CharField(
        _("autoridad que resuelve la apelación"), max_length=200, blank=True
    )
    requires_appointment = models.BooleanField(_("requiere cita"), default=False)
    categories = models.ManyToManyField(
        Category, verbose_name=_("categorías"), related_name="services", blank=True
    )
    keywords = models.TextField(
        _("palabras clave"),
        blank=True,
        help_text=_("Palabras que usan los ciudadanos, separadas por comas."),
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    is_illustrative = models.BooleanField(
        _("dato ilustrativo"),
        default=False,
        help_text=_("Requisitos, costo o plazo de ejemplo, no copiados del TUPA vigente."),
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["entity__acronym", "name"]
        verbose_name = _("servicio")
        verbose_name_plural = _("servicios")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fee__isnull=True) | models.Q(fee__gte=0), name="fee_non_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(qualification="prior_evaluation", silence="")
                | models.Q(status="draft"),
                name="prior_evaluation_has_silence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity.acronym} — {self.plain_name}"

    def get_absolute_url(self) -> str:
        return reverse("portal:service", args=[self.slug])

    @property
    def is_free(self) -> bool:
        return not self.fee

    def fee_uit_percent(self, year: int | None = None, *, uit: UIT | None = None) -> Decimal | None:
        """The fee as a percentage of the UIT of `year` (TUPA shows both). Pass
        `uit` when listing many services, to look it up once."""
        if self.fee is None:
            return None
        uit = uit or UIT.for_year(year or today_lima().year)
        if uit is None:
            return None
        return (self.fee * 100 / uit.value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Requirement(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField(_("orden"))
    text = models.CharField(_("requisito"), max_length=400)
    notes = models.CharField(_("notas"), max_length=400, blank=True)
    form_name = models.CharField(_("formulario"), max_length=200, blank=True)
    form_url = models.URLField(_("enlace al formulario"), blank=True)

    class Meta:
        ordering = ["service", "order"]
        verbose_name = _("requisito")
        verbose_name_plural = _("requisitos")
        constraints = [
            models.UniqueConstraint(fields=["service", "order"], name="requirement_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"


class Channel(models.TextChoices):
    CENTER = "center", _("Centro MAC")
    PHONE = "phone", _("Aló MAC")
    EXPRESS = "express", _("MAC Express")
    ONLINE = "online", _("En línea (plataforma de la entidad)")


class ServiceChannel(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    url = models.URLField(_("enlace"), blank=True)
    notes = models.CharField(_("notas"), max_length=250, blank=True)

    class Meta:
        ordering = ["service", "channel"]
        verbose_name = _("canal de atención")
        verbose_name_plural = _("canales de atención")
        constraints = [
            models.UniqueConstraint(fields=["service", "channel"], name="service_channel_unique"),
            models.CheckConstraint(
                condition=~models.Q(channel="online", url=""), name="online_channel_has_url"
            ),
        ]

    def __str__(self) -> str:
        return self.get_channel_display()


class Offer(models.Model):
    """The entity of `service` offers it at `center`."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="offers")
    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="offers")
    active = models.BooleanField(_("activo"), default=True)
    since = models.DateField(_("desde"), null=True, blank=True)
    notes = models.CharField(_("notas"), max_length=250, blank=True)

    class Meta:
        ordering = ["center", "service"]
        verbose_name = _("oferta en centro")
        verbose_name_plural = _("ofertas en centros")
        constraints = [models.UniqueConstraint(fields=["service", "center"], name="offer_unique")]

    def __str__(self) -> str:
        return f"{self.service} @ {self.center}"


class Synonym(models.Model):
    """A citizen's word and the catalog words it means (brevete -> licencia de conducir)."""

    term = models.CharField(_("palabra del ciudadano"), max_length=80, unique=True)
    expansion = models.CharField(_("equivale a"), max_length=200)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("sinónimo")
        verbose_name_plural = _("sinónimos")

    def __str__(self) -> str:
        return f"{self.term} → {self.expansion}"
