"""Post-attention surveys and the annual citizen satisfaction survey.

An `Invitation` is the one survey of one attention: its random token is the
key of the link (QR on the status page, email, SMS), and it expires. A
`Response` is the answer; the database allows one per attention (and one
per invitation), so a second submission can never be stored, even by two
requests at once. Responses copy where, with whom and when the attention
happened (attentions are append-only, so the copy never goes stale) to
filter and aggregate without joins.

`AnnualResponse` rows come from the annual survey's CSV file, one
`AnnualImport` per year; they carry the same scores so that both sources
are measured by the same code."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mac.catalog.models import Entity, Service
from mac.centers.models import Center
from mac.queueing.models import Attention, Counter
from mac.surveys.noise import record_key
from mac.surveys.questions import (
    COMMENT_MAX,
    DRIVERS,
    NPS_MAX,
    NPS_MIN,
    OVERALL,
    SCALE_MAX,
    SCALE_MIN,
    SCORE_CODES,
)

_LABELS = {q.code: q.label for q in [OVERALL, *DRIVERS]}


def _score(code: str) -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(
        _LABELS[code], validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)]
    )


def _scale_constraints() -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{code}__gte": SCALE_MIN, f"{code}__lte": SCALE_MAX}),
            name=f"%(app_label)s_%(class)s_{code}_scale",
        )
        for code in SCORE_CODES
    ]


def _nps_constraint() -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(recommend__gte=NPS_MIN, recommend__lte=NPS_MAX)
        | models.Q(recommend__isnull=True),
        name="%(app_label)s_%(class)s_recommend_scale",
    )


class Scores(models.Model):
    """Overall satisfaction and the seven drivers, 1 (muy insatisfecho) to 5
    (muy satisfecho)."""

    overall = _score("overall")
    kind_treatment = _score("kind_treatment")
    information = _score("information")
    times = _score("times")
    as_promised = _score("as_promised")
    results = _score("results")
    accessibility = _score("accessibility")
    trust = _score("trust")
    # A random number, never shown: the sum of a set's keys tells one set of
    # answers from another for the noise of its figures (mac/surveys/noise.py).
    noise_key = models.PositiveIntegerField(
        _("clave del ruido"), default=record_key, editable=False
    )

    class Meta:
        abstract = True


class Invitation(models.Model):
    """The survey offered after one attention (surveys.actions.offer)."""

    attention = models.OneToOneField(
        Attention,
        verbose_name=_("atención"),
        on_delete=models.PROTECT,
        related_name="survey_invitation",
    )
    token = models.CharField(_("clave del enlace"), max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(_("ofrecida"))
    expires_at = models.DateTimeField(_("vence"))
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    notified_at = models.DateTimeField(
        _("enviada por correo o SMS"),
        null=True,
        blank=True,
        help_text=_(
            "Vacío si la visita no dejó contacto o si ya respondió u omitió la encuesta "
            "en el módulo."
        ),
    )
    tablet_dismissed_at = models.DateTimeField(_("omitida en la tableta"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitación a la encuesta")
        verbose_name_plural = _("invitaciones a la encuesta")
        indexes = [models.Index(fields=["expires_at"], name="invitation_expires")]

    def __str__(self) -> str:
        return str(_("Encuesta de la atención %(id)s") % {"id": self.attention_id})

    def is_expired(self, now: dt.datetime) -> bool:
        return self.expires_at <= now


class ResponseChannel(models.TextChoices):
    TABLET = "tablet", _("Tableta del módulo")
    LINK = "link", _("Enlace (QR, correo o SMS)")
    API = "api", _("API")


class Response(Scores):
    """One citizen's answer about one attention."""

    attention = models.OneToOneField(
        Attention,
        verbose_name=_("atención"),
        on_delete=models.PROTECT,
        related_name="survey_response",
    )
    invitation = models.OneToOneField(
        Invitation, verbose_name=_("invitación"), on_delete=models.PROTECT, related_name="response"
    )
    center = models.ForeignKey(
        Center,
        verbose_name=_("Centro MAC"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="survey_responses"
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("servicio"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("módulo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asesor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    attended_at = models.DateTimeField(_("fin de la atención"))
    recommend = models.PositiveSmallIntegerField(
        _("recomendación (0-10)"),
        validators=[MinValueValidator(NPS_MIN), MaxValueValidator(NPS_MAX)],
    )
    comment = models.TextField(_("comentario"), max_length=COMMENT_MAX, blank=True)
    language = models.CharField(_("idioma"), max_length=5, default="es")
    channel = models.CharField(_("canal"), max_length=8, choices=ResponseChannel.choices)
    answered_at = models.DateTimeField(_("respondida"))

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = _("respuesta a la encuesta")
        verbose_name_plural = _("respuestas a la encuesta")
        indexes = [
            models.Index(fields=["entity", "attended_at"], name="response_entity_attended"),
            models.Index(fields=["center", "attended_at"], name="response_center_attended"),
            models.Index(fields=["attended_at"], name="response_attended"),
        ]
        constraints = [*_scale_constraints(), _nps_constraint()]

    def __str__(self) -> str:
        return f"{_('Respuesta')} {self.pk} ({self.attention_id})"


class AnnualImport(models.Model):
    """One year's file of the annual satisfaction survey (since 2013)."""

    year = models.PositiveSmallIntegerField(_("año"), unique=True)
    filename = models.CharField(_("archivo"), max_length=200)
    rows = models.PositiveIntegerField(_("respuestas"))
    imported_at = models.DateTimeField(_("importado"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("importado por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("encuesta anual importada")
        verbose_name_plural = _("encuestas anuales importadas")

    def __str__(self) -> str:
        return f"{_('Encuesta anual')} {self.year}"


class AnnualResponse(Scores):
    """One answer of the annual survey, as read from its file."""

    batch = models.ForeignKey(
        AnnualImport,
        verbose_name=_("importación"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    year = models.PositiveSmallIntegerField(_("año"))
    line = models.PositiveIntegerField(_("línea del archivo"))
    center = models.ForeignKey(
        Center,
        verbose_name=_("Centro MAC"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("entidad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("servicio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recommend = models.PositiveSmallIntegerField(
        _("recomendación (0-10)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(NPS_MIN), MaxValueValidator(NPS_MAX)],
    )

    class Meta:
        ordering = ["year", "line"]
        verbose_name = _("respuesta de la encuesta anual")
        verbose_name_plural = _("respuestas de la encuesta anual")
        indexes = [models.Index(fields=["year", "entity"], name="annual_year_entity")]
        constraints = [*_scale_constraints(), _nps_constraint()]

    def __str__(self) -> str:
        return f"{self.year}:{self.line}"
