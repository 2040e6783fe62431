"""One access helper per resource: views, admin and API call these and never
filter by role by hand. A helper returns the object or raises Http404 (the
object does not exist, or its existence must not leak to this user)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from mac.accounts.models import Role

if TYPE_CHECKING:
    from mac.catalog.models import Service
    from mac.centers.models import Center


def _user_role(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return "national" if user.is_national else user.role


def services_editable_by(user: Any) -> QuerySet[Service]:
    """Services a user may edit in the back office."""
    from mac.catalog.models import Service

    role = _user_role(user)
    if role == "national":
        return Service.objects.all()
    if role == Role.CATALOG_EDITOR and user.entity_id:
        return Service.objects.filter(entity_id=user.entity_id)
    return Service.objects.none()


def services_visible_to(user: Any) -> QuerySet[Service]:
    """Services a staff user may see in staff screens: their entity's, or all
    for roles that serve every entity (center, orientation, call center)."""
    from mac.catalog.models import Service

    role = _user_role(user)
    if role is None:
        return Service.objects.none()
    if role in (Role.CATALOG_EDITOR, Role.ENTITY_SUPERVISOR, Role.ADVISOR):
        return Service.objects.filter(entity_id=user.entity_id)
    return Service.objects.all()


def centers_visible_to(user: Any) -> QuerySet[Center]:
    from mac.centers.models import Center

    role = _user_role(user)
    if role is None:
        return Center.objects.none()
    if role in (Role.CENTER_COORDINATOR, Role.ORIENTATION, Role.ADVISOR):
        return Center.objects.filter(pk=user.center_id)
    return Center.objects.all()


def get_service_for(user: Any, pk: int, *, write: bool = False) -> Service:
    qs = services_editable_by(user) if write else services_visible_to(user)
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_center_for(user: Any, slug: str) -> Center:
    qs = centers_visible_to(user)
    try:
        return qs.get(slug=slug)
    except qs.model.DoesNotExist:
        raise Http404 from None
