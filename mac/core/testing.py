"""Test data builders and the personas every app's tests share (STYLE.md).

Alice: national supervisor. Bob: advisor of RENIEC at Centro MAC Lima Norte.
Carol: supervisor of entity RENIEC. Dave: catalog editor of RENIEC.
Charlie: advisor of SUNAT at Centro MAC Arequipa, who must not see Lima Norte's
or RENIEC's data. A citizen has no account: `CITIZEN_DNI` is a valid DNI.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mac.accounts.models import Role, User
from mac.catalog.models import Entity, Offer, Requirement, Service, ServiceChannel
from mac.centers.models import Center, OpeningHours
from mac.core.models import District

CITIZEN_DNI = "10117410"
PASSWORD = "clave-de-prueba-123"
_seq = itertools.count(1)


def make_entity(acronym: str, **kw: Any) -> Entity:
    defaults = {
        "name": kw.pop("name", f"Entidad {acronym}"),
        "slug": acronym.lower(),
        "level": Entity.Level.NATIONAL,
        "sector": "Presidencia del Consejo de Ministros",
        "adhesion_date": dt.date(2015, 1, 1),
    }
    defaults.update(kw)
    entity, _ = Entity.objects.get_or_create(acronym=acronym, defaults=defaults)
    return entity


def make_center(
    slug: str, *, name: str | None = None, district: str = "150110", **kw: Any
) -> Center:
    if not District.objects.filter(code=district).exists():
        # A transactional test before this one flushed the migrations' data.
        from django.apps import apps

        from mac.core.ubigeo import load

        load(apps)
    defaults = {
        "name": name or f"Centro MAC {slug.replace('-', ' ').title()}",
        "region_id": district[:2],
        "ubigeo_id": district,
        "address": "Av. Ejemplo 123",
        "status": Center.Status.OPERATING,
    }
    defaults.update(kw)
    center, created = Center.objects.get_or_create(slug=slug, defaults=defaults)
    if created:
        for weekday in range(5):
            OpeningHours.objects.create(
                center=center, weekday=weekday, opens=dt.time(8, 30), closes=dt.time(18, 30)
            )
        OpeningHours.objects.create(
            center=center, weekday=5, opens=dt.time(8, 30), closes=dt.time(13, 30)
        )
    return center


def make_service(entity: Entity, name: str, *, centers: list[Center] = (), **kw: Any) -> Service:  # type: ignore[assignment]
    n = next(_seq)
    requirements = kw.pop("requirements", ["Presentar el DNI original."])
    channels = kw.pop("channels", ["center"])
    defaults = {
        "code": f"{entity.acronym}-{n:04d}",
        "slug": f"{entity.acronym.lower()}-{n:04d}",
        "name": name,
        "plain_name": kw.pop("plain_name", name),
        "qualification": Service.Qualification.AUTOMATIC,
        "fee": Decimal("0"),
        "competent_unit": "Unidad de Atención al Ciudadano",
        "legal_basis": "TUO de la Ley 27444",
    }
    defaults.update(kw)
    service = Service.objects.create(entity=entity, **defaults)
    for i, text in enumerate(requirements, start=1):
        Requirement.objects.create(service=service, order=i, text=text)
    for channel in channels:
        url = "https://www.gob.pe/" if channel == "online" else ""
        ServiceChannel.objects.create(service=service, channel=channel, url=url)
    for center in centers:
        Offer.objects.create(service=service, center=center)
    return service


def race(
    n: int,
    work: Callable[[int], Any],
    *,
    lanes: int,
    refused: tuple[type[Exception], ...] = (),
) -> list[Any]:
    """Run work(0..n-1) over min(n, lanes) database connections, one thread
    each, released together by a barrier; each connection runs its share back
    to back (PostgreSQL's 100 connections are shared with other runs). Each
    result is work's return value, or the `code` of a `refused` error."""
    lanes = max(1, min(n, lanes))
    barrier = threading.Barrier(lanes)
    results: list[Any] = [None] * n

    def lane(share: range) -> None:
        from django.db import connection

        try:
            connection.ensure_connection()
            barrier.wait()
            for i in share:
                try:
                    results[i] = work(i)
                except refused as error:
                    results[i] = error.code  # type: ignore[attr-defined]
        finally:
            connection.close()

    threads = [threading.Thread(target=lane, args=(range(k, n, lanes),)) for k in range(lanes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def make_user(username: str, role: str, **kw: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, **kw)
    return user


@dataclass
class Personas:
    reniec: Entity
    sunat: Entity
    lima_norte: Center
    arequipa: Center
    alice: User
    bob: User
    carol: User
    dave: User
    charlie: User


def make_personas() -> Personas:
    reniec = make_entity("RENIEC", name="Registro Nacional de Identificación y Estado Civil")
    sunat = make_entity(
        "SUNAT", name="Superintendencia Nacional de Aduanas y de Administración Tributaria"
    )
    lima_norte = make_center("lima-norte", name="Centro MAC Lima Norte", district="150110")
    arequipa = make_center("arequipa", name="Centro MAC Arequipa", district="040112")
    return Personas(
        reniec=reniec,
        sunat=sunat,
        lima_norte=lima_norte,
        arequipa=arequipa,
        alice=make_user("alice", Role.NATIONAL_SUPERVISOR, is_staff=True),
        bob=make_user("bob", Role.ADVISOR, entity=reniec, center=lima_norte),
        carol=make_user("carol", Role.ENTITY_SUPERVISOR, entity=reniec, is_staff=True),
        dave=make_user("dave", Role.CATALOG_EDITOR, entity=reniec, is_staff=True),
        charlie=make_user("charlie", Role.ADVISOR, entity=sunat, center=arequipa),
    )


def _post_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value)


def admin_form_data(response: Any) -> dict[str, Any]:
    """The POST body an admin add/change page would send back unchanged: the
    main form's and every inline's current values plus the management forms.
    Tests then override the fields they mean to change."""
    from django.forms import CheckboxInput

    data: dict[str, Any] = {}

    def add_form(form: Any) -> None:
        for name, field in form.fields.items():
            key = form.add_prefix(name)
            value = form[name].value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[key] = "on"
                continue
            data[key] = _post_value(value)

    add_form(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _post_value(management[name].value())
        for form in formset.initial_forms:
            add_form(form)
    return data


def delete_demo_data() -> None:
    """Remove what `mac seed` loads, leaving the migrations' reference data
    (ubigeo). For module-scoped fixtures that seed once and must clean up."""
    from django_tasks_db.models import DBTaskResult

    from mac.appointments.models import Agenda, Booking, Slot
    from mac.catalog.models import UIT, Category, Synonym
    from mac.centers.models import OpeningException
    from mac.core.models import AuditLog, Event, NonWorkingDay
    from mac.notify.models import Message
    from mac.quality import models as quality
    from mac.queueing import models as queue
    from mac.surveys.models import Invitation, Response

    # The sample bookings, claims and survey answers of `mac seed`, with the
    # messages, background tasks and live events they made.
    sample_models: list[Any] = [Response, Invitation, Booking, Slot, Agenda, Message]
    sample_models += [DBTaskResult, Event]
    sample_models += [quality.ComplaintEvent, quality.ComplaintAttachment, quality.Complaint]
    sample_models += [quality.CodeSequence, quality.ComplaintOfficer]
    for sample_model in sample_models:
        sample_model.objects.all().delete()
    # Attentions refuse Model.delete (append-only); tests may still clean up.
    queue.Attention.objects.all()._raw_delete(queue.Attention.objects.db)
    queue.Counter.objects.update(current_ticket=None)
    queue_models: list[Any] = [queue.Ticket, queue.Visit, queue.TicketSequence]
    queue_models += [queue.AdvisorSession, queue.Counter, queue.ServiceQueueSettings]
    for queue_model in [*queue_models, queue.CenterQueue]:
        queue_model.objects.all().delete()
    AuditLog.objects.all().delete()
    User.objects.all().delete()
    for model in (Offer, ServiceChannel, Requirement, Service, Category, Synonym, UIT, Entity):
        model.objects.all().delete()
    OpeningException.objects.all().delete()
    OpeningHours.objects.all().delete()
    Center.objects.all().delete()
    NonWorkingDay.objects.all().delete()
