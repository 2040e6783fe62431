"""The back office's setup of the queue: counters (entity, skills,
languages, active flag) and the center's and services' queue settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from mac.catalog.models import Service
from mac.centers.models import Center
from mac.core import audit, rows
from mac.core.calendar import today_lima
from mac.core.events import publish_on_commit
from mac.queueing import policy
from mac.queueing.actions._shared import _for_update, _now
from mac.queueing.errors import Conflict, CounterStrandsTickets, Invalid, NotFound
from mac.queueing.models import CenterQueue, Counter, Language, ServiceQueueSettings, Ticket
from mac.queueing.queries import serving_without


def _lock_center_counters(counter: Counter) -> Counter:
    """Lock the rows of the counter and of the other counters of its center,
    in id order (the order of every action that locks several counters),
    until commit: while one counter's setup changes, no other counter of the
    center changes, so two coordinators who each disable one of the last two
    counters of a service cannot both pass `_check_strands`. Returns the
    counter's stored row."""
    center_id = Counter.objects.filter(pk=counter.pk).values_list("center_id", flat=True).first()
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(Counter)} FROM {table} WHERE center_id = %s OR id = %s"
            f" ORDER BY id{_for_update()}",
            [center_id, counter.pk],
        )
        locked = [rows.read(Counter, row) for row in cursor.fetchall()]
    stored = next((row for row in locked if row.pk == counter.pk), None)
    if stored is None:
        raise NotFound(_("No existe ese módulo."), code="counter")
    if stored.center_id != center_id:  # moved to another center meanwhile
        return _lock_center_counters(stored)
    return stored


def _check_not_in_use(counter: Counter, stored: Counter) -> None:
    """A counter with an advisor in session (or a ticket) keeps its entity and
    center and stays enabled: else the advisor would call another entity's
    tickets, or hold a ticket of a center the counter left."""
    in_use = stored.advisor_id is not None or stored.current_ticket_id is not None
    moved = (counter.entity_id, counter.center_id) != (stored.entity_id, stored.center_id)
    if in_use and (moved or (stored.active and not counter.active)):
        raise Conflict(
            _(
                "El %(counter)s tiene un asesor en sesión: cierre la sesión antes de "
                "cambiar su entidad o su centro, o de deshabilitarlo."
            )
            % {"counter": stored.label},
            code="counter_in_use",
        )


def _check_strands(
    counter: Counter,
    stored: Counter,
    changed: Collection[str],
    services: list[Service] | None,
    today: dt.date,
) -> None:
    """Refuse a change after which tickets waiting today at the counter's
    center could be called by no active counter: the policy calls a ticket
    only to a counter with its service and its language (`policy.can_serve`),
    so they would wait until the citizens gave up (the checks at issue refuse
    such a ticket; this keeps a change from making one). Only what this
    counter stops covering counts, and the other counters' setup as read
    under `_lock_center_counters`' locks, whether or not an advisor is signed
    in at them. Not covered: a ticket issued meanwhile through a process
    whose cached skills still hold the old setup (`check_staffed` and
    `check_language` read them; up to `cache.CHECK_EVERY`, about a second),
    which the hot path takes no lock against."""
    if not stored.active:
        return  # it called nobody
    through = Counter.services.through.objects.filter(counter_id=stored.pk)
    held = set(through.values_list("service_id", flat=True))
    spoken = {"es", *(stored.languages or [])}

    def after(field: str, attname: str) -> Any:
        return getattr(counter if field in changed else stored, attname)

    stays = after("active", "active") and after("center", "center_id") == stored.center_id
    kept = ({s.pk for s in services} if services is not None else held) if stays else set()
    speaks = {"es", *(after("languages", "languages") or [])}
    lost = [s for s in held if s not in kept or not spoken <= speaks]
    if not lost:
        return
    waiting = (
        Ticket.objects.filter(
            center_id=stored.center_id, day=today, state=Ticket.State.WAITING, service_id__in=lost
        )
        .values_list("service_id", "language")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    others = serving_without(stored.center_id, stored.pk)
    stranded = {
        (service, language): n
        for service, language, n in waiting
        if language in spoken
        and not (service in kept and language in speaks)
        and language not in others.get(service, ())
    }
    if not stranded:
        return
    names = dict(
        Service.objects.filter(pk__in={s for s, _ in stranded}).values_list("pk", "plain_name")
    )
    order = list(Language.values)
    listing = sorted(
        ((names[service], language, n) for (service, language), n in stranded.items()),
        key=lambda entry: (entry[0], order.index(entry[1]) if entry[1] in order else len(order)),
    )
    center = Center.objects.values_list("name", flat=True).get(pk=stored.center_id)
    raise CounterStrandsTickets(counter=stored.label, center=center, stranded=listing)


def check_counter(
    counter: Counter,
    *,
    changed_fields: list[str] | None,
    services: list[Service] | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Raise the refusal `save_counter` gives for this setup of the counter
    (`changed_fields`, `services`: as it takes them), else return. For a
    counter that exists, the rows of its center's counters stay locked until
    the transaction ends (`_lock_center_counters`): the back office's form
    asks here, in the admin's transaction, and shows a refusal on the form."""
    unknown = set(counter.languages or []) - set(Language.values)
    if unknown:
        raise Invalid(
            _("Lenguas desconocidas: %(codes)s.") % {"codes": ", ".join(sorted(unknown))},
            code="language",
        )
    if services is not None and any(s.entity_id != counter.entity_id for s in services):
        raise Invalid(_("Un módulo solo atiende servicios de su entidad."), code="skills")
    if counter.pk is None:
        return  # a new counter takes no ticket away from anyone
    stored = _lock_center_counters(counter)
    _check_not_in_use(counter, stored)
    _check_strands(counter, stored, changed_fields or [], services, today_lima(_now(now)))


@transaction.atomic
def save_counter(
    counter: Counter,
    *,
    by: Any,
    changed_fields: list[str] | None,
    services: list[Service] | None = None,
    now: dt.datetime | None = None,
) -> Counter:
    """Create or change a counter's setup (entity, number, skills, languages,
    active flag), after `check_counter`: among others, a change that would
    leave tickets waiting today with no active counter able to call them is
    refused (409, `counter_strands_tickets`), with nothing changed. The
    cached skills of this process are dropped at commit (the event), other
    workers' at their next check of the configuration generation, within
    about a second (`cache.CHECK_EVERY`)."""
    creating = counter.pk is None
    check_counter(counter, changed_fields=changed_fields, services=services, now=now)
    if "es" not in counter.languages:
        counter.languages = ["es", *counter.languages]
    if creating:
        counter.save()
    elif changed_fields:
        counter.save(update_fields=[f for f in changed_fields if f != "services"])
    if services is not None:
        counter.services.set(services)
    audit.record(
        "queue.counter.created" if creating else "queue.counter.changed",
        counter,
        by=by,
        fields=changed_fields or [],
    )
    publish_on_commit("queue.config.counter", {"counter": counter.pk})
    return counter


@transaction.atomic
def save_queue_settings(obj: CenterQueue | ServiceQueueSettings, *, by: Any) -> None:
    """A center's routing policy or a service's series and ANS target."""
    if isinstance(obj, CenterQueue) and obj.policy not in policy.POLICIES:
        raise Invalid(_("Política desconocida: %(name)s.") % {"name": obj.policy}, code="policy")
    obj.save()
    audit.record("queue.settings.changed", obj, by=by)
    publish_on_commit("queue.config.settings", {"model": obj._meta.label_lower, "id": obj.pk})
