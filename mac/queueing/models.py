"""Tickets, visits, counters and attentions of a Centro MAC.

Writes go through mac.queueing.actions. Race safety lives in the database:
unique (center, day, series, number) on tickets, a per-(center, day, series)
sequence row locked while numbering, the ticket row claimed with SKIP LOCKED
when a counter calls (ADR 0003), and the counter row locked for every action
on its ticket.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mac.catalog.models import Entity, Service
from mac.centers.models import Center
from mac.core.documents import DocumentType


class PriorityReason(models.TextChoices):
    """Ley 28683 (amended by Ley 30490) classes of priority attention."""

    NONE = "", _("Sin atención preferente")
    PREGNANT = "pregnant", _("Mujer embarazada")
    CHILD = "child", _("Persona con niña o niño en brazos")
    OLDER_ADULT = "older_adult", _("Persona adulta mayor (60 años o más)")
    DISABILITY = "disability", _("Persona con discapacidad")


class Language(models.TextChoices):
    SPANISH = "es", _("Castellano")
    QUECHUA = "qu", _("Quechua")
    AYMARA = "ay", _("Aimara")
    SIGN = "lsp", _("Lengua de señas peruana")


class Source(models.TextChoices):
    KIOSK = "kiosk", _("Kiosko")
    DESK = "desk", _("Orientación")
    APPOINTMENT = "appointment", _("Cita")
    API = "api", _("API")
    TRANSFER = "transfer", _("Derivación")
    COUNTER = "counter", _("Módulo")  # added by the advisor serving the visit


class CancelReason(models.TextChoices):
    """Why staff cancel a waiting ticket (`actions.cancel`): kept in the
    ticket's history and in the audit row."""

    LEFT = "left", _("El ciudadano se retiró")
    DUPLICATE = "duplicate", _("Ticket duplicado")
    MISTAKE = "mistake", _("Emitido por error")


def default_languages() -> list[str]:
    return ["es"]


class CenterQueue(models.Model):
    """A center's queue settings: the routing policy as data (like a work
    profile), the recall limit and the appointment waiting target."""

    center = models.OneToOneField(
        Center, verbose_name=_("Centro MAC"), on_delete=models.CASCADE, related_name="queue"
    )
    policy = models.CharField(_("política de llamado"), max_length=20, default="mac")
    params = models.JSONField(_("parámetros de la política"), default=dict, blank=True)
    recall_limit = models.PositiveSmallIntegerField(_("máximo de rellamadas"), default=2)
    appointment_target_minutes = models.PositiveSmallIntegerField(
        _("espera objetivo con cita (min)"), default=5
    )

    class Meta:
        verbose_name = _("configuración de cola")
        verbose_name_plural = _("configuraciones de cola")

    def __str__(self) -> str:
        return f"{self.center} ({self.policy})"

    def clean(self) -> None:
        from mac.queueing.policy import POLICIES, params_errors

        if not isinstance(self.params, dict):
            raise ValidationError({"params": _("Los parámetros son un objeto JSON.")})
        problems = {
            "unknown": _("«%(key)s» no es un parámetro de la política %(policy)s"),
            "number": _("«%(key)s» debe ser un número"),
            "finite": _("«%(key)s» debe ser un número finito"),
        }
        errors = params_errors(self.policy, self.params)
        if errors and errors[0][1] == "policy":
            known = ", ".join(sorted(POLICIES))
            raise ValidationError(
                {"policy": _("Política desconocida; hay: %(known)s") % {"known": known}}
            )
        if errors:
            raise ValidationError(
                {
                    "params": [
                        problems[problem] % {"key": key, "policy": self.policy}
                        for key, problem in errors
                    ]
                }
            )


class ServiceQueueSettings(models.Model):
    """How a service queues: its ticket series and its ANS waiting target
    (data the administrator sets; demo values are illustrative)."""

    service = models.OneToOneField(
        Service, verbose_name=_("servicio"), on_delete=models.CASCADE, related_name="queue_settings"
    )
    series = models.CharField(_("serie"), max_length=3, help_text=_("Letra del ticket: R-023."))
    target_wait_minutes = models.PositiveSmallIntegerField(
        _("espera objetivo ANS (min)"), default=15
    )
    mean_service_minutes = models.PositiveSmallIntegerField(
        _("duración típica de la atención (min)"), default=8
    )

    class Meta:
        verbose_name = _("ajuste de cola del servicio")
        verbose_name_plural = _("ajustes de cola de los servicios")

    def __str__(self) -> str:
        return f"{self.service.code}: {self.series}, {self.target_wait_minutes} min"


class Counter(models.Model):
    """A módulo / ventanilla: staffed by one entity, serving its skills."""

    class Status(models.TextChoices):
        CLOSED = "closed", _("Cerrado")
        OPEN = "open", _("Abierto")
        PAUSED = "paused", _("En pausa")

    center = models.ForeignKey(
        Center, verbose_name=_("Centro MAC"), on_delete=models.CASCADE, related_name="counters"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="counters"
    )
    number = models.PositiveSmallIntegerField(_("número"))
    services = models.ManyToManyField(Service, verbose_name=_("servicios que atiende"), blank=True)
    languages = models.JSONField(_("lenguas del asesor"), default=default_languages)
    status = models.CharField(_("estado"), max_length=8, choices=Status.choices, default="closed")
    current_ticket = models.OneToOneField(
        "Ticket",
        verbose_name=_("ticket en curso"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("habilitado"), default=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asesor en sesión"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("El de la sesión abierta (copia para no consultarla en cada acción)."),
    )
    free_since = models.DateTimeField(
        _("libre desde"),
        null=True,
        blank=True,
        help_text=_("Cuándo quedó libre, o su asesor llamó sin encontrar a nadie."),
    )

    class Meta:
        ordering = ["center", "number"]
        verbose_name = _("módulo")
        verbose_name_plural = _("módulos")
        constraints = [
            models.UniqueConstraint(fields=["center", "number"], name="counter_number_unique")
        ]

    def __str__(self) -> str:
        return f"Módulo {self.number} ({self.entity.acronym})"

    @property
    def label(self) -> str:
        return str(_("Módulo %(n)s") % {"n": self.number})


class AdvisorSession(models.Model):
    """An advisor signed in at a counter; breaks are its pauses."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="sessions")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counter_sessions"
    )
    started_at = models.DateTimeField(_("inicio"))
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("sesión de asesor")
        verbose_name_plural = _("sesiones de asesor")
        constraints = [
            models.UniqueConstraint(
                fields=["counter"],
                condition=models.Q(ended_at=None),
                name="one_open_session_per_counter",
            ),
            models.UniqueConstraint(
                fields=["advisor"],
                condition=models.Q(ended_at=None),
                name="one_open_session_per_advisor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.advisor} @ {self.counter}"


class SessionBreak(models.Model):
    session = models.ForeignKey(AdvisorSession, on_delete=models.CASCADE, related_name="breaks")
    started_at = models.DateTimeField(_("inicio"))
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    reason = models.CharField(_("motivo"), max_length=80, blank=True)

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("pausa")
        verbose_name_plural = _("pausas")

    def __str__(self) -> str:
        return f"{self.session} {self.started_at:%H:%M}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Visit(models.Model):
    """One citizen's stay at a center; may hold several tickets."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="visits")
    document_type = models.CharField(
        _("tipo de documento"), max_length=10, choices=DocumentType.choices, blank=True
    )
    document_number = models.CharField(_("número de documento"), max_length=20, blank=True)
    priority_reason = models.CharField(
        _("atención preferente"), max_length=12, choices=PriorityReason.choices, blank=True
    )
    language = models.CharField(
        _("lengua"), max_length=3, choices=Language.choices, default=Language.SPANISH
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("llegada"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visita")
        verbose_name_plural = _("visitas")

    def __str__(self) -> str:
        return f"Visita {self.pk} ({self.center})"

    @property
    def is_priority(self) -> bool:
        return bool(self.priority_reason)


class TicketQuerySet(models.QuerySet["Ticket"]):
    def waiting(self) -> TicketQuerySet:
        return self.filter(state=Ticket.State.WAITING)

    def open(self) -> TicketQuerySet:
        return self.filter(state__in=Ticket.OPEN_STATES)


class Ticket(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("En espera")
        CALLED = "called", _("Llamado")
        SERVING = "serving", _("En atención")
        DONE = "done", _("Atendido")
        NO_SHOW = "no_show", _("No se presentó")
        TRANSFERRED = "transferred", _("Derivado")
        CANCELLED = "cancelled", _("Anulado")
        ABANDONED = "abandoned", _("Abandonó la espera")

    OPEN_STATES = (State.WAITING, State.CALLED, State.SERVING)

    visit = models.ForeignKey(
        Visit, verbose_name=_("visita"), on_delete=models.PROTECT, related_name="tickets"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("Centro MAC"), on_delete=models.PROTECT, related_name="tickets"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("servicio"), on_delete=models.PROTECT, related_name="tickets"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("día (Lima)"))
    series = models.CharField(_("serie"), max_length=3)
    number = models.PositiveIntegerField(_("número"))
    code = models.CharField(_("código"), max_length=12)
    state = models.CharField(_("estado"), max_length=12, choices=State.choices, default="waiting")
    source = models.CharField(_("origen"), max_length=12, choices=Source.choices)
    priority = models.BooleanField(_("preferente"), default=False)
    language = models.CharField(_("lengua"), max_length=3, default="es")
    appointment_at = models.DateTimeField(_("hora de la cita"), null=True, blank=True)
    target_wait_seconds = models.PositiveIntegerField(_("espera objetivo (s)"))
    issued_at = models.DateTimeField(_("emitido"))
    wait_from = models.DateTimeField(_("la espera cuenta desde"))
    called_at = models.DateTimeField(_("llamado"), null=True, blank=True)
    started_at = models.DateTimeField(_("inicio de atención"), null=True, blank=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("módulo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asesor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recalls = models.PositiveSmallIntegerField(_("rellamadas"), default=0)
    transferred_to = models.OneToOneField(
        "self",
        verbose_name=_("derivado a"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transferred_from",
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "day", "series", "number"], name="ticket_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["center", "state"], name="ticket_center_state")]

    def __str__(self) -> str:
        return self.code


class TicketSequence(models.Model):
    """The last number given in a series at a center on a day. Locked while
    numbering, so numbers are unique and without gaps."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    series = models.CharField(max_length=3)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "series"], name="sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.day}: {self.last_number}"


class TicketEvent(models.Model):
    """Append-only history of a ticket's states."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=Ticket.State.choices)
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.state} {self.at:%H:%M:%S}"


class AppendOnlyError(Exception):
    pass


class Attention(models.Model):
    """One service given, on any channel: the history supervision counts.
    Appended once, never edited in place (a correction is a new row)."""

    class Channel(models.TextChoices):
        CENTER = "center", _("Centro MAC")
        PHONE = "phone", _("Aló MAC")
        EXPRESS = "express", _("MAC Express")
        ONLINE = "online", _("En línea")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resuelto")
        PENDING = "pending", _("Pendiente")
        REFERRED = "referred", _("Derivado")
        # Closed by the system: a past day's attention its advisor never
        # finished. Its end is unknown, so it is recorded as ending when it
        # started, and service-time statistics leave it out.
        UNRECORDED = "unrecorded", _("Sin cierre registrado")

    # What an advisor may choose when finishing an attention.
    ADVISOR_OUTCOMES = (Outcome.RESOLVED, Outcome.PENDING, Outcome.REFERRED)

    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    center = models.ForeignKey(
        Center,
        verbose_name=_("Centro MAC"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attentions",
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="attentions"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("servicio"), on_delete=models.PROTECT, related_name="attentions"
    )
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("módulo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attentions",
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asesor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attention",
    )
    priority = models.BooleanField(_("preferente"), default=False)
    language = models.CharField(_("lengua"), max_length=3, default="es")
    issued_at = models.DateTimeField(_("emitido"))
    called_at = models.DateTimeField(_("llamado"), null=True, blank=True)
    started_at = models.DateTimeField(_("inicio"))
    ended_at = models.DateTimeField(_("fin"))
    wait_seconds = models.PositiveIntegerField(_("espera (s)"))
    service_seconds = models.PositiveIntegerField(_("atención (s)"))
    target_wait_seconds = models.PositiveIntegerField(_("espera objetivo (s)"), null=True)
    outcome = models.CharField(_("resultado"), max_length=10, choices=Outcome.choices)
    recorded_at = models.DateTimeField(_("registrada"), auto_now_add=True)

    class Meta:
        ordering = ["-ended_at"]
        verbose_name = _("atención")
        verbose_name_plural = _("atenciones")
        indexes = [
            models.Index(fields=["center", "ended_at"], name="attention_center_ended"),
            models.Index(fields=["entity", "ended_at"], name="attention_entity_ended"),
        ]

    def __str__(self) -> str:
        return f"{self.service.code} {self.ended_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Attention rows are appended, never edited in place.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Attention rows are appended, never deleted.")
