"""Load the demo data (mac/catalog/data/) into the database: `mac seed`.

Idempotent: rows are matched by natural keys (acronym, slug, code, (service, order),
(service, channel), (service, center)...), missing ones are created and changed
fields are set back to the data files' values; running it twice changes no row
of the data (each run publishes `catalog.seeded`, so that running servers reload
what they cache of the catalog and the centers).
It never deletes rows, except the requirements and weekly hours of the seeded
services and centers that the data no longer lists (both are ordered lists that
the data owns). Staff passwords are set only when an account is created.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from mac.accounts.models import Role, User
from mac.catalog.data import (
    services_national_a,
    services_national_b,
    services_national_c,
    services_regional_local,
)
from mac.catalog.data.centers import CENTERS, EXCEPTIONS, OPERATING
from mac.catalog.data.entities import ENTITIES
from mac.catalog.data.reference import CATEGORIES, LIFE_EVENTS, UIT_VALUES
from mac.catalog.data.spec import AUTO, PRIOR_NEG, PRIOR_POS, SERVICE, E, R, S
from mac.catalog.data.users import USERS, demo_password
from mac.catalog.models import (
    UIT,
    Category,
    Entity,
    Offer,
    Requirement,
    Service,
    ServiceChannel,
    Synonym,
)
from mac.centers.models import Center, OpeningException, OpeningHours
from mac.core.events import publish_on_commit
from mac.core.models import District

SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.json"
CHANNELS = ("center", "phone", "express", "online")
_QUALIFICATION = {
    AUTO: (Service.Qualification.AUTOMATIC, ""),
    PRIOR_POS: (Service.Qualification.PRIOR_EVALUATION, Service.Silence.POSITIVE),
    PRIOR_NEG: (Service.Qualification.PRIOR_EVALUATION, Service.Silence.NEGATIVE),
    SERVICE: (Service.Qualification.SERVICE, ""),
}


@dataclass
class DemoUser:
    username: str
    role: str
    scope: str
    password: str
    created: bool


def all_service_specs() -> dict[str, list[S]]:
    """Entity acronym -> its services, from every data module."""
    merged: dict[str, list[S]] = {}
    for module in (
        services_national_a,
        services_national_b,
        services_national_c,
        services_regional_local,
    ):
        for acronym, specs in module.SERVICES.items():
            merged.setdefault(acronym, []).extend(specs)
    return merged


def seed(*, scale: int = 1, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Create or update the demo data. `scale` N adds N-1 numbered copies of every
    service (for search benchmarks). Returns the number of rows of each kind that
    the data defines, plus `users` (a list of DemoUser)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    say = log or (lambda line: None)
    with transaction.atomic():
        loader = _Loader(scale, say)
        counts = loader.run()
        # The rows are written in bulk, not through the actions: the event
        # tells the running workers (it raises the configuration generation,
        # mac.core.generation) to reload their caches and search index.
        publish_on_commit("catalog.seeded", {"scale": scale})
        return counts


class _Loader:
    def __init__(self, scale: int, say: Callable[[str], None]) -> None:
        self.scale = scale
        self.say = say
        self.counts: dict[str, Any] = {}

    def run(self) -> dict[str, Any]:
        self.uit()
        self.categories()
        entities = self.entities()
        centers = self.centers()
        self.catalog(entities, centers)
        self.synonyms()
        self.counts["users"] = self.users()
        return self.counts

    def report(self, label: str, key: str, total: int, created: int, updated: int) -> None:
        self.counts[key] = total
        self.say(f"{label}: {total} (nuevos: {created}, actualizados: {updated})")

    def uit(self) -> None:
        rows = [
            {"year": year, "value": Decimal(value), "legal_basis": basis}
            for year, value, basis in UIT_VALUES
        ]
        self.report("Valores de la UIT", "uit", len(rows), *_sync(UIT, ("year",), rows))

    def categories(self) -> None:
        rows = [
            {"slug": slug, "name": name, "kind": kind, "description": description}
            for kind, items in (
                (Category.Kind.CATEGORY, CATEGORIES),
                (Category.Kind.LIFE_EVENT, LIFE_EVENTS),
            )
            for slug, name, description in items
        ]
        self.report(
            "Categorías y hechos de vida",
            "categories",
            len(rows),
            *_sync(Category, ("slug",), rows),
        )

    def entities(self) -> dict[str, Entity]:
        rows = [
            {
                "acronym": e.acronym,
                "name": e.name,
                "slug": e.slug,
                "level": e.level,
                "sector": e.sector,
                "adhesion_date": _date(e.adhesion) or _illustrative_adhesion(e),
                "website": e.website,
                "is_illustrative": e.illustrative,
            }
            for e in ENTITIES
        ]
        self.report("Entidades", "entities", len(rows), *_sync(Entity, ("acronym",), rows))
        return {
            e.acronym: e for e in Entity.objects.filter(acronym__in=[r["acronym"] for r in rows])
        }

    def centers(self) -> dict[str, Center]:
        codes = [c["ubigeo"] for c in CENTERS]
        if not District.objects.exists():
            # The migration loads the table; a flushed database has lost it.
            from django.apps import apps

            from mac.core.ubigeo import load

            load(apps)
        districts = set(District.objects.filter(code__in=codes).values_list("code", flat=True))
        missing = sorted(set(codes) - districts)
        if missing:
            raise ValueError(f"Ubigeo no cargado en core_district: {missing}. ¿Migró la base?")
        rows = []
        for c in CENTERS:
            if c["ubigeo"][:2] != c["region"]:
                raise ValueError(f"{c['slug']}: el ubigeo {c['ubigeo']} no es de {c['region']}")
            rows.append(
                {
                    "slug": c["slug"],
                    "name": c["name"],
                    "region_id": c["region"],
                    "ubigeo_id": c["ubigeo"],
                    "address": c["address"],
                    "reference": c.get("reference", ""),
                    "latitude": Decimal(c["lat"]),
                    "longitude": Decimal(c["lon"]),
                    "status": c.get("status", OPERATING),
                    "opened_on": _date(c.get("opened_on")),
                    "phone": "1800",
                    "email": "infomac@pcm.gob.pe",
                    "is_illustrative": True,
                }
            )
        self.report("Centros", "centers", len(rows), *_sync(Center, ("slug",), rows))
        centers = {c.slug: c for c in Center.objects.filter(slug__in=[r["slug"] for r in rows])}

        hours = []
        for c in CENTERS:
            center_id = centers[c["slug"]].pk
            week_open, week_close, sat_open, sat_close = c["hours"]
            for weekday in range(5):
                hours.append(_hours_row(center_id, weekday, week_open, week_close))
            hours.append(_hours_row(center_id, 5, sat_open, sat_close))
        keys = ("center_id", "weekday", "opens")
        created, updated = _sync(OpeningHours, keys, hours)
        wanted = {tuple(h[k] for k in keys) for h in hours}
        stale = [
            pk
            for pk, *key in OpeningHours.objects.filter(center__in=centers.values()).values_list(
                "pk", *keys
            )
            if tuple(key) not in wanted
        ]
        OpeningHours.objects.filter(pk__in=stale).delete()
        self.report("Horarios", "hours", len(hours), created, updated)

        exceptions = [
            {
                "center_id": centers[slug].pk,
                "date": _date(day),
                "closed": closed,
                "opens": _time(opens) if opens else None,
                "closes": _time(closes) if closes else None,
                "reason": reason,
            }
            for slug, items in EXCEPTIONS.items()
            for day, closed, opens, closes, reason in items
        ]
        self.report(
            "Excepciones de horario",
            "exceptions",
            len(exceptions),
            *_sync(OpeningException, ("center_id", "date"), exceptions),
        )
        return centers

    def catalog(self, entities: dict[str, Entity], centers: dict[str, Center]) -> None:
        specs = all_service_specs()
        unknown = sorted(set(specs) - set(entities))
        if unknown:
            raise ValueError(f"Servicios de entidades que no existen: {unknown}")
        entity_specs = {e.acronym: e for e in ENTITIES}
        planned = [
            _PlannedService(entity_specs[acronym], entities[acronym], items, rank, copy)
            for acronym, items in specs.items()
            for rank in range(len(items))
            for copy in range(1, self.scale + 1)
        ]
        _check_unique(planned)

        rows = [p.row() for p in planned]
        self.report(
            "Servicios", "services", len(rows), *_sync(Service, ("code",), rows, touch="updated_at")
        )
        ids = dict(
            Service.objects.filter(code__in=[p.code for p in planned]).values_list("code", "pk")
        )
        for p in planned:
            p.pk = ids[p.code]

        self.requirements(planned)
        self.channels(planned)
        self.service_categories(planned)
        self.offers(planned, centers)

    def requirements(self, planned: list[_PlannedService]) -> None:
        rows = [row for p in planned for row in p.requirement_rows()]
        keys = ("service_id", "order")
        created, updated = _sync(Requirement, keys, rows)
        last = {p.pk: len(p.spec.requirements) for p in planned}
        stale = [
            pk
            for pk, service_id, order in Requirement.objects.filter(
                service_id__in=last
            ).values_list("pk", "service_id", "order")
            if order > last[service_id]
        ]
        Requirement.objects.filter(pk__in=stale).delete()
        self.report("Requisitos", "requirements", len(rows), created, updated)

    def channels(self, planned: list[_PlannedService]) -> None:
        rows = [row for p in planned for row in p.channel_rows()]
        self.report(
            "Canales",
            "channels",
            len(rows),
            *_sync(ServiceChannel, ("service_id", "channel"), rows),
        )

    def service_categories(self, planned: list[_PlannedService]) -> None:
        category_ids = dict(Category.objects.values_list("slug", "pk"))
        through = Service.categories.through
        wanted = set()
        for p in planned:
            for slug in p.spec.categories:
                if slug not in category_ids:
                    raise ValueError(f"{p.code}: categoría desconocida {slug!r}")
                wanted.add((p.pk, category_ids[slug]))
        have = set(
            through.objects.filter(service_id__in=[p.pk for p in planned]).values_list(
                "service_id", "category_id"
            )
        )
        new = [through(service_id=s, category_id=c) for s, c in sorted(wanted - have)]
        through.objects.bulk_create(new, batch_size=1000)
        self.report("Servicios por categoría", "service_categories", len(wanted), len(new), 0)

    def offers(self, planned: list[_PlannedService], centers: dict[str, Center]) -> None:
        rows = []
        for p in planned:
            if "center" not in p.channel_names:
                continue
            for slug in p.entity_spec.centers:
                center = centers[slug]
                if center.status != Center.Status.OPERATING or not _offered(p, slug):
                    continue
                dates = [d for d in (center.opened_on, p.entity.adhesion_date) if d]
                since = max(dates) if dates else None
                rows.append(
                    {"service_id": p.pk, "center_id": center.pk, "active": True, "since": since}
                )
        self.report(
            "Ofertas", "offers", len(rows), *_sync(Offer, ("service_id", "center_id"), rows)
        )

    def synonyms(self) -> None:
        if not SYNONYMS_FILE.exists():
            self.counts["synonyms"] = 0
            return
        pairs = json.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))
        rows = {term.strip().lower(): expansion for term, expansion in pairs}
        data = [{"term": t, "expansion": x} for t, x in rows.items()]
        self.report("Sinónimos", "synonyms", len(data), *_sync(Synonym, ("term",), data))

    def users(self) -> list[DemoUser]:
        entities = dict(Entity.objects.values_list("acronym", "pk"))
        centers = dict(Center.objects.values_list("slug", "pk"))
        existing = set(
            User.objects.filter(username__in=[u["username"] for u in USERS]).values_list(
                "username", flat=True
            )
        )
        result = []
        for u in USERS:
            username = u["username"]
            password = demo_password(username)
            created = username not in existing
            if created:
                user = User(
                    username=username,
                    first_name=u["first_name"],
                    last_name=u["last_name"],
                    email=f"{username}@demo.mac.gob.pe",
                    role=u["role"],
                    entity_id=entities[u["entity"]] if u.get("entity") else None,
                    center_id=centers[u["center"]] if u.get("center") else None,
                    is_staff=bool(u.get("staff") or u.get("superuser")),
                    is_superuser=bool(u.get("superuser")),
                )
                user.set_password(password)
                user.save()
            scope = " @ ".join(x for x in (u.get("entity", ""), u.get("center", "")) if x)
            result.append(
                DemoUser(
                    username,
                    str(Role(u["role"]).label) if u["role"] else "Superusuario",
                    scope or "nacional",
                    password,
                    created,
                )
            )
        self.say(f"Usuarios: {len(result)} (nuevos: {sum(u.created for u in result)})")
        return result


class _PlannedService:
    """One service row to load: a spec, or copy number `copy` of it when scaled."""

    def __init__(self, entity_spec: E, entity: Entity, specs: list[S], rank: int, copy: int):
        self.entity_spec = entity_spec
        self.entity = entity
        self.spec = spec = specs[rank]
        self.rank = rank
        self.entity_size = len(specs)
        self.copy = copy
        suffix = "" if copy == 1 else f" (variante {copy})"
        self.code = f"{entity.acronym}-{spec.key}" + ("" if copy == 1 else f"-V{copy}")
        base = _short_slug(f"{entity.slug} {spec.plain}")
        self.slug = base if copy == 1 else f"{base}-variante-{copy}"
        self.name = spec.name + suffix
        self.plain_name = spec.plain + suffix
        self.channel_names = spec.channels.split()
        self.pk: int = 0

    def row(self) -> dict[str, Any]:
        s, e = self.spec, self.entity_spec
        qualification, silence = _QUALIFICATION[s.q]
        prior = qualification == Service.Qualification.PRIOR_EVALUATION
        return {
            "code": self.code,
            "entity_id": self.entity.pk,
            "slug": self.slug,
            "name": self.name,
            "plain_name": self.plain_name,
            "description": s.description,
            "qualification": qualification,
            "silence": silence,
            "fee": Decimal(s.fee) if s.fee is not None else None,
            "fee_notes": s.fee_notes,
            "deadline_days": s.days,
            "competent_unit": s.unit or e.unit,
            "legal_basis": s.basis or e.basis,
            "reconsideration_authority": (e.recon or e.unit) if prior else "",
            "appeal_authority": (e.appeal or e.unit) if prior else "",
            "requires_appointment": s.appointment,
            "keywords": s.keywords,
            "status": Service.Status.PUBLISHED,
            "is_illustrative": s.illustrative,
        }

    def requirement_rows(self) -> Iterable[dict[str, Any]]:
        for order, item in enumerate(self.spec.requirements, start=1):
            req = item if isinstance(item, R) else R(item)
            yield {
                "service_id": self.pk,
                "order": order,
                "text": req.text,
                "notes": req.notes,
                "form_name": req.form_name,
                "form_url": req.form_url,
            }

    def channel_rows(self) -> Iterable[dict[str, Any]]:
        for channel in self.channel_names:
            url = ""
            notes = ""
            if channel == "online":
                url = self.spec.url or self.entity_spec.online or self.entity_spec.website
            elif channel == "phone":
                notes = "Información y citas por Aló MAC, línea gratuita 1800."
            elif channel == "express":
                notes = "Con un asesor MAC Express en municipalidades, Tambos y PIAS."
            yield {"service_id": self.pk, "channel": channel, "url": url, "notes": notes}


def _offered(p: _PlannedService, center_slug: str) -> bool:
    """Which centers offer a service (a fixed pick, so that reruns agree).

    Each entity's first core services (seven for the big catalogs, four for the rest:
    the data lists them first) are at every center where the entity has windows.
    Every service has a home center; other core services are also at about one in
    six of the entity's other centers. This keeps 70-150 offers per center."""
    centers = p.entity_spec.centers
    top = 7 if p.entity_size >= 20 else 4
    if p.spec.core and p.rank < top:
        return True
    if center_slug == centers[zlib.crc32(p.spec.key.encode()) % len(centers)]:
        return True
    return p.spec.core and zlib.crc32(f"{p.spec.key}@{center_slug}".encode()) % 6 == 0


def _sync(
    model: type[models.Model],
    keys: tuple[str, ...],
    rows: list[dict[str, Any]],
    *,
    touch: str = "",
) -> tuple[int, int]:
    """Create the rows whose key is missing and update the fields that differ.
    Returns (created, updated)."""
    manager = model._default_manager
    values = {r[keys[0]] for r in rows}
    # Past a couple of thousand values an IN list costs more than reading the table.
    found = manager.filter(**{f"{keys[0]}__in": values}) if len(values) < 2000 else manager.all()
    existing = {tuple(getattr(o, k) for k in keys): o for o in found}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    fields: set[str] = set()
    for row in rows:
        obj = existing.get(tuple(row[k] for k in keys))
        if obj is None:
            to_create.append(model(**row))
            continue
        changed = [f for f, v in row.items() if getattr(obj, f) != v]
        if changed:
            for f in changed:
                setattr(obj, f, row[f])
            if touch:
                setattr(obj, touch, timezone.now())
                changed.append(touch)
            to_update.append(obj)
            fields.update(changed)
    manager.bulk_create(to_create, batch_size=500)
    if to_update:
        manager.bulk_update(to_update, sorted(fields), batch_size=500)
    return len(to_create), len(to_update)


def _check_unique(planned: list[_PlannedService]) -> None:
    for attr in ("code", "slug"):
        values = Counter(getattr(p, attr) for p in planned)
        dupes = [v for v, n in values.items() if n > 1]
        if dupes:
            raise ValueError(f"{attr} repetido en los datos: {sorted(dupes)[:10]}")
    too_long = [p.code for p in planned if len(p.code) > 60 or len(p.slug) > 140]
    if too_long:
        raise ValueError(f"Código o slug demasiado largo: {too_long[:10]}")


def _short_slug(text: str, limit: int = 110) -> str:
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    return slug[:limit].rsplit("-", 1)[0]


def _hours_row(center_id: int, weekday: int, opens: str, closes: str) -> dict[str, Any]:
    return {
        "center_id": center_id,
        "weekday": weekday,
        "opens": _time(opens),
        "closes": _time(closes),
    }


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _illustrative_adhesion(e: E) -> dt.date:
    """Regional governments and municipalities join when their region's center opens;
    the day is illustrative."""
    opened: dict[str, str] = {c["slug"]: c["opened_on"] for c in CENTERS if c.get("opened_on")}
    first = min((opened[s] for s in e.centers if s in opened), default=None)
    return _date(first) or dt.date(2016, 1 + zlib.crc32(e.acronym.encode()) % 12, 1)
