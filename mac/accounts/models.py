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
