"""One access helper per resource: views, admin and API call these and never
filter by role by hand. A helper returns the object or raises Http404 (the
object does not exist, or its existence must not leak to this user)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from mac.accounts.models import Role

if TYPE_CHECKING:
    from mac.catalog.models import Entity, Service
    from mac.centers.models import Center

NATIONAL = "national"


def _user_role(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return NATIONAL if user.is_national else user.role


def role_of(user: Any) -> str | None:
    """NATIONAL for national supervisors and superusers, the role otherwise
    ("" for an account without one, such as a complaints officer: each helper
    names the roles it lets through, so "" reaches nothing by default); None
    for anonymous or deactivated users."""
    return _user_role(user)


def services_editable_by(user: Any) -> QuerySet[Service]:
    """Services a user may edit in the back office."""
    from mac.catalog.models import Service

    role = _user_role(user)
    if role == NATIONAL:
        return Service.objects.all()
    if role == Role.CATALOG_EDITOR and user.entity_id:
        return Service.objects.filter(entity_id=user.entity_id)
    return Service.objects.none()


def services_visible_to(user: Any) -> QuerySet[Service]:
    """Services a staff user may see in staff screens: their entity's, or all
    for roles that serve every entity (center, orientation, call center)."""
    from mac.catalog.models import Service

    role = _user_role(user)
    if role in (Role.CATALOG_EDITOR, Role.ENTITY_SUPERVISOR, Role.ADVISOR):
        return Service.objects.filter(entity_id=user.entity_id)
    if role in (NATIONAL, Role.CENTER_COORDINATOR, Role.ORIENTATION, Role.CALL_CENTER):
        return Service.objects.all()
    return Service.objects.none()


def centers_visible_to(user: Any) -> QuerySet[Center]:
    from mac.centers.models import Center

    role = _user_role(user)
    if role in (Role.CENTER_COORDINATOR, Role.ORIENTATION, Role.ADVISOR):
        return Center.objects.filter(pk=user.center_id)
    if role in (NATIONAL, Role.ENTITY_SUPERVISOR, Role.CATALOG_EDITOR, Role.CALL_CENTER):
        return Center.objects.all()
    return Center.objects.none()


def centers_operated_by(user: Any) -> QuerySet[Center]:
    """Centers where a user may issue, add to and cancel tickets: the center's
    own staff (coordinator, orientation, advisors) and national supervisors.
    Entity staff and call-center operators see queues but do not run them."""
    from mac.centers.models import Center

    role = _user_role(user)
    if role == NATIONAL:
        return Center.objects.all()
    if role in (Role.CENTER_COORDINATOR, Role.ORIENTATION, Role.ADVISOR) and user.center_id:
        return Center.objects.filter(pk=user.center_id)
    return Center.objects.none()


def service_entities_for(user: Any) -> QuerySet[Entity]:
    """Entities a user may file services under (create or move a service to)."""
    from mac.catalog.models import Entity

    role = _user_role(user)
    if role == NATIONAL:
        return Entity.objects.all()
    if role == Role.CATALOG_EDITOR and user.entity_id:
        return Entity.objects.filter(pk=user.entity_id)
    return Entity.objects.none()


def entities_visible_to(user: Any) -> QuerySet[Entity]:
    """Entities a user may open in the back office: all for national roles,
    their own for entity-scoped roles."""
    from mac.catalog.models import Entity

    role = _user_role(user)
    if role == NATIONAL:
        return Entity.objects.all()
    if role in (Role.CATALOG_EDITOR, Role.ENTITY_SUPERVISOR) and user.entity_id:
        return Entity.objects.filter(pk=user.entity_id)
    return Entity.objects.none()


def centers_editable_by(user: Any) -> QuerySet[Center]:
    """Centers whose contact data, hours and exceptions a user may edit."""
    from mac.centers.models import Center

    role = _user_role(user)
    if role == NATIONAL:
        return Center.objects.all()
    if role == Role.CENTER_COORDINATOR and user.center_id:
        return Center.objects.filter(pk=user.center_id)
    return Center.objects.none()


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


def attentions_visible_to(user: Any) -> QuerySet[Any]:
    """Attentions (and through them tickets) a staff user may read: all for
    national roles, their center's for center staff, their entity's for entity
    staff; an advisor sees their entity's at their center."""
    from mac.queueing.models import Attention

    return _queue_scope(user, Attention.objects.all())


def tickets_visible_to(user: Any) -> QuerySet[Any]:
    from mac.queueing.models import Ticket

    return _queue_scope(user, Ticket.objects.all())


def _queue_scope(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    role = _user_role(user)
    if role is None:
        return qs.none()
    if role in (NATIONAL, Role.CALL_CENTER):
        return qs
    if role in (Role.CENTER_COORDINATOR, Role.ORIENTATION):
        return qs.filter(center_id=user.center_id)
    if role in (Role.ENTITY_SUPERVISOR, Role.CATALOG_EDITOR):
        return qs.filter(entity_id=user.entity_id)
    if role == Role.ADVISOR:
        return qs.filter(entity_id=user.entity_id, center_id=user.center_id)
    return qs.none()
