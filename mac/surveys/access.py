"""Who may read survey results, and which ones (one helper per resource, as
mac/core/access.py). A national supervisor reads every answer; an entity
supervisor only their entity's (figures and comments); a center
coordinator only their center's. Nobody else reads results.

The counter's tablet is a kiosk device of the counter's center (the signed
device cookie of mac/screens/kiosk.py) or a staff member who may use that
center's kiosk."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from mac.accounts.models import Role, User
from mac.catalog.models import Entity, Service
from mac.centers.models import Center
from mac.core.access import NATIONAL, role_of
from mac.queueing.models import Counter
from mac.surveys.models import AnnualResponse, Response

RESULT_ROLES = (NATIONAL, Role.ENTITY_SUPERVISOR, Role.CENTER_COORDINATOR)


def can_read_results(user: Any) -> bool:
    return role_of(user) in RESULT_ROLES


def _scoped(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    role = role_of(user)
    if role == NATIONAL:
        return qs
    if role == Role.ENTITY_SUPERVISOR and user.entity_id:
        return qs.filter(entity_id=user.entity_id)
    if role == Role.CENTER_COORDINATOR and user.center_id:
        return qs.filter(center_id=user.center_id)
    return qs.none()


def responses_visible_to(user: Any) -> QuerySet[Response]:
    return _scoped(user, Response.objects.all())


def annual_visible_to(user: Any) -> QuerySet[AnnualResponse]:
    return _scoped(user, AnnualResponse.objects.all())


# The choices of the results filters: only what the user may read.


def filter_centers(user: Any) -> QuerySet[Center]:
    role = role_of(user)
    if role == Role.CENTER_COORDINATOR:
        return Center.objects.filter(pk=user.center_id)
    return Center.objects.all() if role in RESULT_ROLES else Center.objects.none()


def filter_entities(user: Any) -> QuerySet[Entity]:
    role = role_of(user)
    if role == Role.ENTITY_SUPERVISOR:
        return Entity.objects.filter(pk=user.entity_id)
    return Entity.objects.all() if role in RESULT_ROLES else Entity.objects.none()


def filter_services(user: Any) -> QuerySet[Service]:
    role = role_of(user)
    if role == Role.ENTITY_SUPERVISOR:
        return Service.objects.filter(entity_id=user.entity_id)
    return Service.objects.all() if role in RESULT_ROLES else Service.objects.none()


def filter_advisors(user: Any) -> QuerySet[User]:
    role = role_of(user)
    advisors = User.objects.filter(role=Role.ADVISOR)
    if role == Role.ENTITY_SUPERVISOR:
        return advisors.filter(entity_id=user.entity_id)
    if role == Role.CENTER_COORDINATOR:
        return advisors.filter(center_id=user.center_id)
    return advisors if role == NATIONAL else advisors.none()


def get_tablet_counter(request: HttpRequest, counter_id: int) -> Counter | None:
    """The counter, for its center's kiosk device or staff; None when this
    browser may not be the counter's tablet; Http404 for no such counter."""
    # The kiosk's device check is the one place that reads the device cookie.
    from mac.screens.kiosk import _device, _staff_of

    counter = (
        Counter.objects.select_related("center", "entity")
        .filter(pk=counter_id, active=True)
        .first()
    )
    if counter is None:
        raise Http404
    device = _device(request)
    if device is not None and device.center_id == counter.center_id:
        return counter
    return counter if _staff_of(request.user, counter.center) else None
