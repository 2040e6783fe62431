"""Builders for queue tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from mac.accounts.models import Role, User
from mac.catalog.models import Entity, Service
from mac.centers.models import Center
from mac.core.testing import PASSWORD, make_center, make_entity, make_service
from mac.queueing import actions, cache
from mac.queueing.models import CenterQueue, Counter, ServiceQueueSettings

LIMA = ZoneInfo("America/Lima")
# A Tuesday morning in Lima, when the builders' centers are open.
OPEN = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LIMA)
_advisors = itertools.count(1)


class HandClock:
    """A time source (seconds) that moves only when told: the per-process
    caches read it in tests (`cache.restart`), so that when they check the
    configuration generation, and when entries expire, is the test's say."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def queue_center(slug: str = "lima-norte", *, policy: str = "fifo", **kw: object) -> Center:
    center = make_center(slug, **kw)  # type: ignore[arg-type]
    CenterQueue.objects.update_or_create(center=center, defaults={"policy": policy})
    return center


def queue_service(
    entity: Entity,
    name: str,
    center: Center,
    *,
    series: str | None = None,
    target_minutes: int = 15,
    mean_minutes: int = 8,
) -> Service:
    service = make_service(entity, name, centers=[center])
    ServiceQueueSettings.objects.create(
        service=service,
        series=series or entity.acronym[:1],
        target_wait_minutes=target_minutes,
        mean_service_minutes=mean_minutes,
    )
    return service


def make_counter(
    center: Center,
    entity: Entity,
    number: int,
    services: Iterable[Service],
    *,
    languages: Iterable[str] = ("es",),
) -> Counter:
    counter = Counter.objects.create(
        center=center, entity=entity, number=number, languages=list(languages)
    )
    counter.services.set(list(services))
    # Written directly, not through `actions.save_counter` (whose event drops
    # the cached skills): the next ticket must see this counter.
    cache.clear()
    return counter


def make_advisor(center: Center, entity: Entity, username: str | None = None) -> User:
    return User.objects.create_user(
        username=username or f"asesor{next(_advisors)}",
        password=PASSWORD,
        role=Role.ADVISOR,
        entity=entity,
        center=center,
    )


def staffed_counter(
    center: Center,
    entity: Entity,
    number: int,
    services: Iterable[Service],
    *,
    languages: Iterable[str] = ("es",),
    now: dt.datetime = OPEN,
) -> tuple[Counter, User]:
    counter = make_counter(center, entity, number, services, languages=languages)
    advisor = make_advisor(center, entity)
    actions.sign_in(counter, by=advisor, now=now)
    counter.refresh_from_db()
    return counter, advisor


__all__ = ["OPEN", "make_entity", "queue_center", "queue_service", "staffed_counter"]
