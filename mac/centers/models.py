from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from mac.core.calendar import LIMA
from mac.core.models import Department, District


class CenterQuerySet(models.QuerySet["Center"]):
    def operating(self) -> CenterQuerySet:
        return self.filter(status=Center.Status.OPERATING)


class Center(models.Model):
    class Status(models.TextChoices):
        OPERATING = "operating", _("En funcionamiento")
        UNDER_IMPLEMENTATION = "under_implementation", _("En implementación")
        CLOSED = "closed", _("Cerrado")

    name = models.CharField(_("nombre"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    region = models.ForeignKey(
        Department, verbose_name=_("región"), on_delete=models.PROTECT, related_name="centers"
    )
    ubigeo = models.ForeignKey(
        District, verbose_name=_("distrito"), on_delete=models.PROTECT, related_name="centers"
    )
    address = models.CharField(_("dirección"), max_length=250)
    reference = models.CharField(_("referencia"), max_length=250, blank=True)
    latitude = models.DecimalField(
        _("latitud"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitud"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    status = models.CharField(
        _("estado"), max_length=24, choices=Status.choices, default=Status.OPERATING
    )
    opened_on = models.DateField(_("inauguración"), null=True, blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    is_illustrative = models.BooleanField(
        _("dato ilustrativo"),
        default=False,
        help_text=_(
            "Marcado cuando la dirección, coordenadas u horario no vienen de fuente pública."
        ),
    )

    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = CenterQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("Centro MAC")
        verbose_name_plural = _("Centros MAC")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:center", args=[self.slug])

    def hours_on(self, day: dt.date) -> list[tuple[dt.time, dt.time]]:
        """Opening periods on a Lima calendar day: an exception wins over the
        weekly schedule. Uses prefetched rows when present."""
        for exc in self.exceptions.all():
            if exc.date == day:
                return [] if exc.closed else [(exc.opens, exc.closes)]  # type: ignore[list-item]
        return [(h.opens, h.closes) for h in self.hours.all() if h.weekday == day.weekday()]

    def is_open_at(self, moment: dt.datetime) -> bool:
        if self.status != Center.Status.OPERATING:
            return False
        local = moment.astimezone(LIMA)
        return any(o <= local.time() < c for o, c in self.hours_on(local.date()))


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Lunes")
        TUESDAY = 1, _("Martes")
        WEDNESDAY = 2, _("Miércoles")
        THURSDAY = 3, _("Jueves")
        FRIDAY = 4, _("Viernes")
        SATURDAY = 5, _("Sábado")
        SUNDAY = 6, _("Domingo")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("día"), choices=Weekday.choices)
    opens = models.TimeField(_("abre"))
    closes = models.TimeField(_("cierra"))

    class Meta:
        ordering = ["center", "weekday", "opens"]
        verbose_name = _("horario de atención")
        verbose_name_plural = _("horarios de atención")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="hours_order"
            ),
            models.UniqueConstraint(fields=["center", "weekday", "opens"], name="hours_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class OpeningException(models.Model):
    """A day with different hours or closed (holiday, event, works)."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("fecha"))
    closed = models.BooleanField(_("cerrado todo el día"), default=True)
    opens = models.TimeField(_("abre"), null=True, blank=True)
    closes = models.TimeField(_("cierra"), null=True, blank=True)
    reason = models.CharField(_("motivo"), max_length=200)

    class Meta:
        ordering = ["center", "date"]
        verbose_name = _("excepción de horario")
        verbose_name_plural = _("excepciones de horario")
        constraints = [
            models.UniqueConstraint(fields=["center", "date"], name="exception_unique"),
            models.CheckConstraint(
                condition=models.Q(closed=True)
                | models.Q(opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")),
                name="exception_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center} {self.date}"
