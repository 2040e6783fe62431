"""Queue demo data (illustrative): ticket series and ANS targets, counters with
their skills and languages, one advisor per counter, and the attentions of
the last business day, so that screens and supervision have a real-looking
day to show. Idempotent: run again, it adds nothing."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from mac.accounts.models import Role, User
from mac.catalog.models import Offer, Service
from mac.centers.models import Center
from mac.core.calendar import LIMA, is_business_day, today_lima
from mac.queueing.models import (
    Attention,
    CenterQueue,
    Counter,
    ServiceQueueSettings,
    Ticket,
    TicketSequence,
    Visit,
)

ADVISOR_PASSWORD = "demo-asesor-2026"
# Ticket series of the entities seen most in centers; others get their initials.
SERIES = {
    "RENIEC": "R", "SUNAT": "T", "SUNARP": "P", "MIGRACIONES": "M", "ESSALUD": "E",
    "ONP": "O", "PNP": "N", "BN": "B", "SIS": "S", "PJ": "J", "SAT": "A", "MTC": "C",
    "INDECOPI": "I", "SUTRAN": "U", "MIDIS": "D",
}  # fmt: skip
COUNTERS_PER_ENTITY = {"RENIEC": 4, "SUNAT": 3, "MIGRACIONES": 3, "BN": 3, "SUNARP": 2, "PNP": 2}
QUECHUA_CENTERS = {"cusco", "juliaca", "huanuco", "junin", "cajamarca", "ayacucho", "arequipa"}


def _series(acronyms: list[str]) -> dict[str, str]:
    taken = set(SERIES.values())
    result = {a: SERIES[a] for a in acronyms if a in SERIES}
    for acronym in sorted(a for a in acronyms if a not in SERIES):
        letters = "".join(ch for ch in acronym.upper() if ch.isalpha())
        candidates = [
            letters[:2],
            letters[0] + letters[-1],
            letters[:3],
            f"{letters[0]}{len(taken)}",
        ]
        code = next(c for c in candidates if c not in taken)
        taken.add(code)
        result[acronym] = code
    return result


def _settings(log: Callable[[str], None]) -> dict[int, ServiceQueueSettings]:
    services = list(Service.objects.filter(offers__active=True).distinct().select_related("entity"))
    series = _series(sorted({s.entity.acronym for s in services}))
    existing = set(ServiceQueueSettings.objects.values_list("service_id", flat=True))
    rng = random.Random(2026)
    rows = []
    for s in services:
        if s.pk in existing:
            continue
        mean = rng.choice([5, 6, 7, 8, 10, 12, 15])  # illustrative service times
        rows.append(
            ServiceQueueSettings(
                service=s,
                series=series[s.entity.acronym],
                target_wait_minutes=10 if mean <= 6 else 20 if mean >= 15 else 15,
                mean_service_minutes=mean,
            )
        )
    ServiceQueueSettings.objects.bulk_create(rows)
    log(f"Ajustes de cola por servicio: {len(existing) + len(rows)} (nuevos: {len(rows)})")
    return {q.service_id: q for q in ServiceQueueSettings.objects.all()}


def _counters(center: Center, advisor_hash: str) -> list[Counter]:
    if Counter.objects.filter(center=center).exists():
        return list(Counter.objects.filter(center=center).prefetch_related("services"))
    offered: dict[Any, list[Service]] = defaultdict(list)
    for offer in Offer.objects.filter(center=center, active=True).select_related("service__entity"):
        offered[offer.service.entity].append(offer.service)
    number = 0
    counters = []
    for entity in sorted(offered, key=lambda e: e.acronym):
        services = offered[entity]
        for k in range(COUNTERS_PER_ENTITY.get(entity.acronym, 1)):
            number += 1
            languages = ["es"]
            if k == 0 and center.slug in QUECHUA_CENTERS:
                languages.append("qu")
            if k == 0 and entity.acronym in ("RENIEC", "BN"):
                languages.append("lsp")
            counter = Counter.objects.create(
                center=center, entity=entity, number=number, languages=languages
            )
            # The first counter of an entity serves everything it offers here;
            # the others its first services (as advisors specialise).
            counter.services.set(services if k == 0 else services[: max(2, len(services) // 2)])
            counters.append(counter)
            User.objects.get_or_create(
                username=f"asesor.{center.slug}.{number:02d}",
                defaults={
                    "role": Role.ADVISOR,
                    "entity": entity,
                    "center": center,
                    "password": advisor_hash,
                    "first_name": "Asesor",
                    "last_name": f"{entity.acronym} módulo {number}",
                },
            )
    return list(Counter.objects.filter(center=center).prefetch_related("services"))


@dataclass
class _Planned:
    service: Service
    counter: Counter
    advisor: int | None
    series: str
    issued: dt.datetime
    called: dt.datetime
    ended: dt.datetime
    priority: bool
    language: str
    target: int
    outcome: str | None  # None: the citizen did not come to the counter


def _last_business_day(center: Center, today: dt.date) -> dt.date | None:
    day = today
    for _ in range(14):
        day -= dt.timedelta(days=1)
        if is_business_day(day) and center.hours_on(day):
            return day
    return None


def _history(
    center: Center,
    day: dt.date,
    counters: list[Counter],
    settings: dict[int, ServiceQueueSettings],
    rng: random.Random,
) -> int:
    """One day of attentions at every counter, with waits around the targets."""
    if Ticket.objects.filter(center=center, day=day).exists():
        return 0
    opens, closes = center.hours_on(day)[0]
    start = dt.datetime.combine(day, opens, tzinfo=LIMA)
    end = dt.datetime.combine(day, closes, tzinfo=LIMA)
    advisors = dict(
        User.objects.filter(
            center=center, role=Role.ADVISOR, username__startswith="asesor."
        ).values_list("username", "pk")
    )
    plans: list[_Planned] = []
    for counter in counters:
        services = list(counter.services.all())
        if not services:
            continue
        advisor = advisors.get(f"asesor.{center.slug}.{counter.number:02d}")
        clock = start + dt.timedelta(minutes=rng.uniform(0, 6))
        while clock < end - dt.timedelta(minutes=20):
            service = rng.choice(services)
            qs = settings[service.pk]
            priority = rng.random() < 0.12
            mean_wait = 2.5 if priority else qs.target_wait_minutes * 0.55
            wait = min(rng.expovariate(1 / mean_wait), 75.0)
            called = clock
            issued = called - dt.timedelta(minutes=wait)
            sigma = 0.4
            minutes = qs.mean_service_minutes * math.exp(rng.gauss(-(sigma**2) / 2, sigma))
            ended = called + dt.timedelta(minutes=max(1.5, minutes))
            language = "qu" if "qu" in counter.languages and rng.random() < 0.15 else "es"
            outcome = rng.choices(["resolved", "pending", "referred"], [0.9, 0.07, 0.03])[0]
            no_show = rng.random() < 0.03
            plans.append(
                _Planned(
                    service=service,
                    counter=counter,
                    advisor=advisor,
                    series=qs.series,
                    issued=max(issued, start),
                    called=called,
                    ended=called + dt.timedelta(minutes=2) if no_show else ended,
                    priority=priority,
                    language=language,
                    target=qs.target_wait_minutes * 60,
                    outcome=None if no_show else outcome,
                )
            )
            clock = plans[-1].ended + dt.timedelta(minutes=rng.uniform(0.2, 2.5))
    plans.sort(key=lambda p: p.issued)
    visits = Visit.objects.bulk_create(
        Visit(
            center=center,
            priority_reason=rng.choice(["older_adult", "pregnant", "disability", "child"])
            if p.priority
            else "",
            language=p.language,
            created_at=p.issued,
        )
        for p in plans
    )
    numbers: dict[str, int] = defaultdict(int)
    tickets = []
    for plan, visit in zip(plans, visits, strict=True):
        numbers[plan.series] += 1
        n = numbers[plan.series]
        done = plan.outcome is not None
        tickets.append(
            Ticket(
                visit=visit,
                center=center,
                service=plan.service,
                entity_id=plan.service.entity_id,
                day=day,
                series=plan.series,
                number=n,
                code=f"{plan.series}-{n:03d}",
                state=Ticket.State.DONE if done else Ticket.State.NO_SHOW,
                source=rng.choice(["kiosk", "kiosk", "kiosk", "desk"]),
                priority=plan.priority,
                language=plan.language,
                target_wait_seconds=plan.target,
                issued_at=plan.issued,
                wait_from=plan.issued,
                called_at=plan.called,
                started_at=plan.called if done else None,
                ended_at=plan.ended,
                counter=plan.counter,
                advisor_id=plan.advisor,
            )
        )
    tickets = Ticket.objects.bulk_create(tickets)
    TicketSequence.objects.bulk_create(
        TicketSequence(center=center, day=day, series=s, last_number=n) for s, n in numbers.items()
    )
    Attention.objects.bulk_create(
        Attention(
            channel=Attention.Channel.CENTER,
            center=center,
            entity_id=t.entity_id,
            service_id=t.service_id,
            counter=t.counter,
            advisor_id=t.advisor_id,
            ticket=t,
            priority=t.priority,
            language=t.language,
            issued_at=plan.issued,
            called_at=plan.called,
            started_at=plan.called,
            ended_at=plan.ended,
            wait_seconds=int((plan.called - plan.issued).total_seconds()),
            service_seconds=int((plan.ended - plan.called).total_seconds()),
            target_wait_seconds=t.target_wait_seconds,
            outcome=plan.outcome,
        )
        for t, plan in zip(tickets, plans, strict=True)
        if plan.outcome is not None
    )
    return len(tickets)


def seed_queues(*, log: Callable[[str], None], today: dt.date | None = None) -> dict[str, int]:
    today = today or today_lima()
    rng = random.Random(f"mac-{today.isoformat()}")
    with transaction.atomic():
        settings = _settings(log)
        advisor_hash = make_password(ADVISOR_PASSWORD)  # one hash for every demo advisor
        centers = list(
            Center.objects.operating().prefetch_related("hours", "exceptions").order_by("slug")
        )
        total_counters = total_tickets = 0
        for center in centers:
            CenterQueue.objects.get_or_create(center=center)
            counters = _counters(center, advisor_hash)
            total_counters += len(counters)
            day = _last_business_day(center, today)
            if day is not None:
                total_tickets += _history(center, day, counters, settings, rng)
    log(f"Módulos: {total_counters} en {len(centers)} centros, con un asesor cada uno")
    log(f"Historia: {total_tickets} tickets nuevos del último día hábil")
    return {"counters": total_counters, "history_tickets": total_tickets}
