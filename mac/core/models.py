from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """INEI department (departamento / región): 2-digit ubigeo."""

    code = models.CharField(_("ubigeo"), max_length=2, primary_key=True)
    name = models.CharField(_("nombre"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("departamento")
        verbose_name_plural = _("departamentos")

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    code = models.CharField(_("ubigeo"), max_length=4, primary_key=True)
    name = models.CharField(_("nombre"), max_length=80)
    department = models.ForeignKey(
        Department,
        verbose_name=_("departamento"),
        on_delete=models.PROTECT,
        related_name="provinces",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("provincia")
        verbose_name_plural = _("provincias")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    code = models.CharField(_("ubigeo"), max_length=6, primary_key=True)
    name = models.CharField(_("nombre"), max_length=80)
    province = models.ForeignKey(
        Province, verbose_name=_("provincia"), on_delete=models.PROTECT, related_name="districts"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("distrito")
        verbose_name_plural = _("distritos")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def department_code(self) -> str:
        return self.code[:2]


class NonWorkingDay(models.Model):
    """A day declared non-working (día no laborable) on top of the national
    holidays that `holidays` PE already knows."""

    date = models.DateField(_("fecha"), unique=True)
    name = models.CharField(_("motivo"), max_length=200)
    legal_basis = models.CharField(_("norma que lo declara"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("día no laborable")
        verbose_name_plural = _("días no laborables")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class AuditLog(models.Model):
    """Append-only record of who did what. Written by actions, never edited."""

    at = models.DateTimeField(_("cuándo"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("acción"), max_length=80, db_index=True)
    object_type = models.CharField(_("tipo de objeto"), max_length=80, blank=True)
    object_id = models.CharField(_("id del objeto"), max_length=64, blank=True)
    data = models.JSONField(_("datos"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("registro de auditoría")
        verbose_name_plural = _("registros de auditoría")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class Event(models.Model):
    """An event published by an action, kept so that a live screen that
    reconnects gets what it missed (SSE Last-Event-ID). Written in the
    action's transaction: a rolled-back change leaves no event."""

    topic = models.CharField(max_length=80)
    payload = models.JSONField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["topic", "id"], name="event_topic_id")]
        verbose_name = _("evento")
        verbose_name_plural = _("eventos")

    def __str__(self) -> str:
        return f"{self.pk} {self.topic}"


class ConfigurationGeneration(models.Model):
    """One row (id 1) whose value every configuration change raises in its
    own transaction; each process's caches of configuration compare it
    (mac.core.generation)."""

    value = models.BigIntegerField(_("valor"), default=0)

    class Meta:
        verbose_name = _("generación de la configuración")
        verbose_name_plural = _("generaciones de la configuración")

    def __str__(self) -> str:
        return str(self.value)


class SpentChallenge(models.Model):
    """A solved proof-of-work challenge, kept until it expires so that one
    solution cannot be replayed (mac/core/pow.py)."""

    salt = models.CharField(max_length=100, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "desafío resuelto"
        verbose_name_plural = "desafíos resueltos"

    def __str__(self) -> str:
        return self.salt
