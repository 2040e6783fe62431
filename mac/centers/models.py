from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal, NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from mac.core.calendar import LIMA, national_holiday_name
from mac.core.models import Department, District


class DayOff(NamedTuple):
    """A day on which centers do not open unless they say otherwise (an
    exception for that date): a national holiday or a declared non-working day."""

    kind: Literal["holiday", "non_working"]
    name: str


def day_off(day: dt.date, declared: Mapping[dt.date, str] | None = None) -> DayOff | None:
    """The national holiday (`holidays` PE) or declared non-working day
    (NonWorkingDay) that `day` is, or None. The declared days come from the
    per-process cache (mac.queueing.cache: dropped by the
    "core.non_working_day." events, in other workers within about a second),
    so this costs no query on the queue's and appointments' hot paths; a
    caller that must not lag behind the table (the bookings a change left
    unservable, `appointments.queries.affected_bookings`) passes them read
    now, as `declared` (date -> name)."""
    from mac.queueing import cache

    holiday = national_holiday_name(day)
    if holiday:
        return DayOff("holiday", holiday)
    name = (cache.non_working_days() if declared is None else declared).get(day)
    if name is not None:
        return DayOff("non_working", name)
    return None


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

    # The one rule for "does the center open this day, and when", which the
    # queue (issuing tickets), appointments, the API and the portal all ask:
    # the center's exception for that date wins (it may open on a holiday on
    # purpose, or close); otherwise a national holiday or a declared
    # non-working day is closed; otherwise the weekly hours. Uses prefetched
    # rows ("hours", "exceptions") when present. `declared`: the declared
    # non-working days, when not the cached ones (`day_off`).

    def exception_on(self, day: dt.date) -> OpeningException | None:
        for exc in self.exceptions.all():
            if exc.date == day:
                return exc
        return None

    def weekly_hours_on(self, day: dt.date) -> list[tuple[dt.time, dt.time]]:
        """The weekly schedule's periods for `day`'s weekday, ignoring
        exceptions and holidays (the timetable shown for the week)."""
        return [(h.opens, h.closes) for h in self.hours.all() if h.weekday == day.weekday()]

    def day_off(self, day: dt.date, declared: Mapping[dt.date, str] | None = None) -> DayOff | None:
        """The holiday or declared non-working day that closes the center on
        `day`; None on other days and when the center has an exception for
        `day` (its hours, or its closing, rule instead)."""
        return None if self.exception_on(day) is not None else day_off(day, declared)

    def hours_on(
        self, day: dt.date, declared: Mapping[dt.date, str] | None = None
    ) -> list[tuple[dt.time, dt.time]]:
        """Opening periods on a Lima calendar day, by the rule above: [] when
        the center does not open that day."""
        exc = self.exception_on(day)
        if exc is not None:
            return [] if exc.closed else [(exc.opens, exc.closes)]  # type: ignore[list-item]
        if day_off(day, declared) is not None:
            return []
        return self.weekly_hours_on(day)

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
