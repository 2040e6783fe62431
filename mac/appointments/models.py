"""Appointments (citas): each center's agenda per service, the slots it
generates, and bookings that hold a place in a slot.

A slot's `taken` counts the places held or booked in it. It changes only
under the slot's row lock, and a check constraint keeps it within
`capacity`, so the database itself refuses an overbooking (ADR 0005)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core.documents import DocumentType
from mac.queueing.models import Language


class Agenda(models.Model):
    """How a center books one service: the counters its entity reserves for
    appointments, how many citizens each takes per slot, the slot length,
    the lead time and the booking horizon."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="agendas")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="agendas")
    counters = models.PositiveSmallIntegerField(
        _("módulos reservados para citas"),
        default=1,
        help_text=_("Módulos de la entidad que atienden citas de este servicio."),
    )
    per_counter = models.PositiveSmallIntegerField(_("citas por módulo y horario"), default=1)
    slot_minutes = models.PositiveSmallIntegerField(_("duración del horario (min)"), default=20)
    lead_minutes = models.PositiveIntegerField(
        _("anticipación mínima (min)"),
        default=60,
        help_text=_("No se reserva un horario que empieza antes de este plazo."),
    )
    horizon_days = models.PositiveSmallIntegerField(_("horizonte de reserva (días)"), default=30)
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        ordering = ["center", "service"]
        verbose_name = _("agenda de citas")
        verbose_name_plural = _("agendas de citas")
        constraints = [
            models.UniqueConstraint(fields=["center", "service"], name="agenda_unique"),
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5, counters__gte=1, per_counter__gte=1),
                name="agenda_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.center}"

    @property
    def capacity(self) -> int:
        return self.counters * self.per_counter


class Slot(models.Model):
    """One bookable period of an agenda, stored the first time someone looks
    at its day so that bookings can lock it."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="slots")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("inicio"))
    end = models.DateTimeField(_("fin"))
    capacity = models.PositiveSmallIntegerField(_("capacidad"))
    taken = models.PositiveSmallIntegerField(_("ocupados"), default=0)

    class Meta:
        ordering = ["start"]
        verbose_name = _("horario")
        verbose_name_plural = _("horarios")
        constraints = [
            models.UniqueConstraint(fields=["center", "service", "start"], name="slot_unique"),
            models.CheckConstraint(
                condition=models.Q(taken__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="slot_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}@{self.center_id} {self.start:%Y-%m-%d %H:%M}"

    @property
    def available(self) -> int:
        return self.capacity - self.taken


class BookingChannel(models.TextChoices):
    PORTAL = "portal", _("Portal MAC")
    PHONE = "phone", _("Aló MAC (teléfono)")
    API = "api", _("API")
    WAITLIST = "waitlist", _("Lista de espera")


class Unservable(models.TextChoices):
    """Why the check-in of a confirmed booking would be refused, for a reason
    of the center's setup that its holder cannot mend: the code of that
    refusal (check-in's, the queue's), in the order check-in asks. A booking
    that the back office left so is "affected" (queries.affected_bookings)."""

    CENTER_CLOSED = "center_closed", _("El centro no atiende ese día a esa hora")
    SERVICE_NOT_OFFERED = "service_not_offered", _("El centro no ofrece el trámite")
    SERVICE_UNSTAFFED = "service_unstaffed", _("Ningún módulo habilitado atiende el trámite")
    LANGUAGE_UNAVAILABLE = (
        "language_unavailable",
        _("Ningún módulo habilitado atiende el trámite en la lengua de atención"),
    )


class BookingQuerySet(models.QuerySet["Booking"]):
    def holding_place(self) -> BookingQuerySet:
        """Bookings that count in their slot's `taken`."""
        return self.filter(status__in=Booking.PLACE_STATUSES)

    def active_for_document(self, doc_type: str, number: str, now: dt.datetime) -> BookingQuerySet:
        return self.filter(
            document_type=doc_type,
            document_number=number,
            status__in=[Booking.Status.HELD, Booking.Status.CONFIRMED],
            slot__start__gte=now,
        ).exclude(status=Booking.Status.HELD, hold_until__lte=now)


class Booking(models.Model):
    """One person's place in a slot. Two languages: `language`, of its notices
    (emails, SMS, .ics: the portal's when it was booked), and
    `attention_language`, in which the person is attended at the center (the
    check-in's ticket), one that an active counter of the center speaks for
    the service when it was booked (Ley 29735)."""

    class Status(models.TextChoices):
        HELD = "held", _("Reservada temporalmente")
        CONFIRMED = "confirmed", _("Confirmada")
        CHECKED_IN = "checked_in", _("Registrada en el centro")
        CANCELLED = "cancelled", _("Anulada")
        EXPIRED = "expired", _("Vencida sin confirmar")
        NO_SHOW = "no_show", _("No asistió")

    PLACE_STATUSES = (Status.HELD, Status.CONFIRMED, Status.CHECKED_IN, Status.NO_SHOW)

    code = models.CharField(_("código"), max_length=12, unique=True)
    token = models.CharField(
        _("clave de la reserva temporal"), max_length=43, unique=True, editable=False
    )
    slot = models.ForeignKey(
        Slot, verbose_name=_("horario"), on_delete=models.PROTECT, related_name="bookings"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("Centro MAC"), on_delete=models.PROTECT, related_name="bookings"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("servicio"), on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices)
    channel = models.CharField(_("canal"), max_length=10, choices=BookingChannel.choices)
    document_type = models.CharField(
        _("tipo de documento"), max_length=10, choices=DocumentType.choices, blank=True
    )
    document_number = models.CharField(_("número de documento"), max_length=15, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("celular"), max_length=16, blank=True)
    language = models.CharField(_("idioma de los avisos"), max_length=5, default="es")
    attention_language = models.CharField(
        _("lengua de atención"),
        max_length=3,
        choices=Language.choices,
        default=Language.SPANISH,
        help_text=_(
            "En la que se atiende a la persona en el centro (su ticket al registrar la llegada);"
            " una que algún módulo del centro habla para este servicio."
        ),
    )
    client_address = models.GenericIPAddressField(_("dirección del cliente"), null=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operador"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings_made",
    )
    hold_until = models.DateTimeField(_("reservada hasta"), null=True, blank=True)
    sequence = models.PositiveIntegerField(
        _("versión"), default=0, help_text=_("Sube con cada reprogramación (SEQUENCE del .ics).")
    )
    late = models.BooleanField(_("llegó tarde"), default=False)
    ticket = models.OneToOneField(
        "queueing.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="booking",
    )
    created_at = models.DateTimeField(_("creada"))
    confirmed_at = models.DateTimeField(_("confirmada"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("anulada"), null=True, blank=True)
    cancelled_by_center = models.CharField(
        _("anulada por el centro"),
        max_length=24,
        choices=Unservable.choices,
        blank=True,
        help_text=_(
            "Por qué el centro la anuló (no podía atenderla); vacío si no la anuló el centro."
        ),
    )
    checked_in_at = models.DateTimeField(_("registrada en el centro"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("marcada como inasistencia"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cita")
        verbose_name_plural = _("citas")
        indexes = [
            models.Index(fields=["document_type", "document_number", "status"]),
            models.Index(fields=["client_address", "created_at"]),
            models.Index(fields=["slot", "status"]),
            models.Index(fields=["email"]),
            models.Index(fields=["phone"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="held") | models.Q(hold_until__isnull=False),
                name="booking_hold_has_deadline",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["held", "expired"])
                | (~models.Q(document_number="") & (~models.Q(email="") | ~models.Q(phone=""))),
                name="booking_identified",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def holds_place(self) -> bool:
        return self.status in self.PLACE_STATUSES


class WaitlistEntry(models.Model):
    """A citizen waiting for a place on a full day; a freed place is held for
    the first one and offered by email or SMS."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("En espera")
        OFFERED = "offered", _("Horario ofrecido")
        BOOKED = "booked", _("Cita confirmada")
        LAPSED = "lapsed", _("Oferta vencida")
        CANCELLED = "cancelled", _("Retirada")

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="waitlist")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="waitlist")
    date = models.DateField(_("día deseado"))
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    document_type = models.CharField(
        _("tipo de documento"), max_length=10, choices=DocumentType.choices
    )
    document_number = models.CharField(_("número de documento"), max_length=15)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("celular"), max_length=16, blank=True)
    language = models.CharField(_("idioma de los avisos"), max_length=5, default="es")
    attention_language = models.CharField(
        _("lengua de atención"),
        max_length=3,
        choices=Language.choices,
        default=Language.SPANISH,
        help_text=_("La de la cita que se le ofrezca."),
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="waitlist_entries"
    )
    created_at = models.DateTimeField(_("inscrito"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscripción en lista de espera")
        verbose_name_plural = _("lista de espera")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "service", "date", "document_type", "document_number"],
                condition=models.Q(status__in=["waiting", "offered"]),
                name="waitlist_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id}@{self.center_id} {self.date}"
