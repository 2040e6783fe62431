"""Who may read and handle complaints and compliments: one helper per
resource (ARCHITECTURE.md); views, API and exports never filter by hand.

Complaints: national supervisors read all; an entity's supervisor and the
officer and alternate named for the entity (ComplaintOfficer) read that
entity's and handle them (take in process, answer, record the notification,
archive). Everybody else has no access to the complaints book (403).
A complaint outside one's scope is "not found" (404): its existence does
not leak.

Compliments: as complaints, plus a center's coordinator for the center's
and an advisor for those that name them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mac.accounts.models import Role
from mac.core.access import NATIONAL, role_of
from mac.quality.conf import conf
from mac.quality.models import Complaint, ComplaintOfficer, Compliment


def officer_entity_ids(user: Any) -> set[int]:
    """Entities whose complaints book `user` is responsible for (officer or
    alternate). A designation counts only while the user still belongs to
    that entity: one moved to another entity keeps no access to the old book."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "entity_id", None):
        return set()
    return set(
        ComplaintOfficer.objects.filter(Q(officer=user) | Q(alternate=user))
        .filter(entity_id=user.entity_id)
        .values_list("entity_id", flat=True)
    )


def _entity_ids(user: Any) -> set[int] | None:
    """None: every entity (national); else the entities whose book the user
    reads (maybe none)."""
    role = role_of(user)
    if role is None:
        return set()
    if role == NATIONAL:
        return None
    ids = officer_entity_ids(user)
    if role == Role.ENTITY_SUPERVISOR and user.entity_id:
        ids.add(user.entity_id)
    return ids


def reads_complaints(user: Any) -> bool:
    ids = _entity_ids(user)
    return ids is None or bool(ids)


def complaints_visible_to(user: Any) -> QuerySet[Complaint]:
    ids = _entity_ids(user)
    if ids is None:
        return Complaint.objects.all()
    return Complaint.objects.filter(entity_id__in=ids)


def get_complaint_for(user: Any, pk: Any) -> Complaint:
    """The complaint, for a user who may read it. PermissionDenied (403) for
    users without access to the complaints book; Http404 for a complaint
    that does not exist or is outside the user's scope."""
    if not reads_complaints(user):
        raise PermissionDenied(_("No tiene acceso al Libro de Reclamaciones."))
    qs = complaints_visible_to(user).select_related(
        "entity", "center", "district__province__department", "officer", "filed_by"
    )
    try:
        return qs.get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def handles(user: Any, complaint: Complaint) -> bool:
    """May `user` take, answer, notify and archive this complaint: the
    entity's officer or alternate, or its supervisor. National supervisors
    read every complaint but answer none: the entity answers its own."""
    role = role_of(user)
    if role is None:
        return False
    if role == Role.ENTITY_SUPERVISOR and user.entity_id == complaint.entity_id:
        return True
    return complaint.entity_id in officer_entity_ids(user)


def entities_for_filter(user: Any) -> QuerySet[Any]:
    from mac.catalog.models import Entity

    ids = _entity_ids(user)
    return Entity.objects.all() if ids is None else Entity.objects.filter(pk__in=ids)


# -- Compliments -------------------------------------------------------------------


def compliments_visible_to(user: Any) -> QuerySet[Compliment]:
    role = role_of(user)
    if role is None:
        return Compliment.objects.none()
    if role == NATIONAL:
        return Compliment.objects.all()
    scope = Q(entity_id__in=_entity_ids(user) or set())
    if role == Role.CENTER_COORDINATOR and user.center_id:
        scope |= Q(center_id=user.center_id)
    if role == Role.ADVISOR:
        scope |= Q(advisor=user)
    return Compliment.objects.filter(scope)


def reads_compliments(user: Any) -> bool:
    role = role_of(user)
    if role in (NATIONAL, Role.CENTER_COORDINATOR, Role.ADVISOR):
        return True
    return reads_complaints(user)


# -- Filing for a citizen ------------------------------------------------------------

# Staff who fill the sheet with a citizen: at a center's desks, on the phone,
# or nationally.
ASSISTING_ROLES = {
    Role.ORIENTATION,
    Role.CENTER_COORDINATOR,
    Role.ADVISOR,
    Role.CALL_CENTER,
}


def files_for_citizens(user: Any) -> bool:
    role = role_of(user)
    return role == NATIONAL or role in ASSISTING_ROLES


def needs_proof_of_work(user: Any) -> bool:
    """Whether filing a claim asks for a proof of work (mac.core.pow), so that
    bots cannot flood the book: of a citizen, on the claim sheet (the browser
    solves it) or as an API client without credentials; not of staff who file
    for citizens (the staff sheet, or their session or API key in the API).
    Looking a claim up (code and document) asks none, on the page or in the
    API."""
    return bool(conf("POW_REQUIRED")) and not files_for_citizens(user)
