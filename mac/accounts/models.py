from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_SUPERVISOR = "national_supervisor", _("Supervisor nacional")
    CENTER_COORDINATOR = "center_coordinator", _("Coordinador de centro")
    ENTITY_SUPERVISOR = "entity_supervisor", _("Supervisor de entidad")
    ADVISOR = "advisor", _("Asesor")
    ORIENTATION = "orientation", _("Personal de orientación")
    CALL_CENTER = "call_center", _("Operador de Aló MAC")
    CATALOG_EDITOR = "catalog_editor", _("Editor de catálogo")


# Which scope each role must carry: an entity, a center, or both.
ROLE_SCOPE: dict[str, tuple[bool, bool]] = {
    Role.NATIONAL_SUPERVISOR: (False, False),
    Role.CENTER_COORDINATOR: (False, True),
    Role.ENTITY_SUPERVISOR: (True, False),
    Role.ADVISOR: (True, True),
    Role.ORIENTATION: (False, True),
    Role.CALL_CENTER: (False, False),
    Role.CATALOG_EDITOR: (True, False),
}


class User(AbstractUser):
    """A staff member. Citizens do not have accounts: they identify with a
    document where a procedure needs it."""

    role = models.CharField(_("rol"), max_length=24, choices=Role.choices, blank=True)
    entity = models.ForeignKey(
        "catalog.Entity",
        verbose_name=_("entidad"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    center = models.ForeignKey(
        "centers.Center",
        verbose_name=_("Centro MAC"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["entity_supervisor", "catalog_editor", "advisor"])
                | models.Q(entity__isnull=False),
                name="role_needs_entity",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["center_coordinator", "orientation", "advisor"])
                | models.Q(center__isnull=False),
                name="role_needs_center",
            ),
        ]

    @property
    def is_national(self) -> bool:
        return self.is_superuser or self.role == Role.NATIONAL_SUPERVISOR


class ApiKey(models.Model):
    """A key with which another channel's system (Aló MAC's telephony, a MAC
    Express tablet, a kiosk) calls the API as a staff user, without a browser
    session: `Authorization: Bearer mac_<prefix>_<secret>`. It carries the
    user's role and scope, nothing more. Only the prefix and a SHA-256 digest
    are stored: the key is shown once, when created (`mac apikey create`).

    `source` is what the key's system is, fixed when the key is created: the
    origin of the tickets it issues and of the arrivals it checks in (a
    kiosk's key says kiosk, an orientation desk's tablet desk, any other
    system api). The caller cannot claim another."""

    class Source(models.TextChoices):
        API = "api", _("Sistema de otro canal")
        KIOSK = "kiosk", _("Kiosko")
        DESK = "desk", _("Orientación")

    user = models.ForeignKey(
        User, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("nombre"), max_length=100)
    prefix = models.CharField(_("prefijo"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    source = models.CharField(
        _("origen de sus tickets"), max_length=12, choices=Source.choices, default=Source.API
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocada"), null=True, blank=True)
    expires_at = models.DateTimeField(_("caduca"), null=True, blank=True)

    class Meta:
        verbose_name = _("clave de API")
        verbose_name_plural = _("claves de API")

    def __str__(self) -> str:
        return f"{self.name} (mac_{self.prefix}_…)"
