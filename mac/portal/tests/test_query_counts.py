"""Each page reads with a fixed number of queries, however much it shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mac.catalog.models import Category, Requirement, ServiceChannel
from mac.core.testing import make_center, make_entity, make_service

from .conftest import Catalog


def count_queries(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def add_services(catalog: Catalog, n: int) -> None:
    for i in range(n):
        entity = make_entity(f"ENT{i}", name=f"Entidad de prueba {i}")
        service = make_service(
            entity,
            f"Trámite de prueba número {i}",
            plain_name=f"Trámite de prueba {i}",
            centers=[catalog.lima_norte, catalog.arequipa],
            channels=["center", "phone", "online"],
        )
        service.categories.add(catalog.identity)


@pytest.mark.django_db
class TestQueryCounts:
    @pytest.mark.parametrize(
        "path",
        [
            "/",
            "/buscar/",
            "/buscar/?q=prueba",
            "/buscar/?tema=identidad",
            "/centros/",
            "/centros/lima-norte/",
        ],
    )
    def test_it_does_not_grow_with_the_catalog(
        self, client: Client, catalog: Catalog, path: str
    ) -> None:
        add_services(catalog, 2)
        client.get(path)  # warm caches (search index, sessions)
        few = count_queries(lambda: client.get(path))

        for i in range(6):
            make_center(f"extra-{i}", name=f"Centro MAC Extra {i}", district="150101")
        add_services(catalog, 6)
        client.get(path)
        many = count_queries(lambda: client.get(path))

        assert many == few

    def test_the_service_page_does_not_grow_with_requirements_channels_or_centers(
        self, client: Client, catalog: Catalog
    ) -> None:
        url = catalog.passport.get_absolute_url()
        client.get(url)
        few = count_queries(lambda: client.get(url))

        for i in range(3, 10):
            Requirement.objects.create(service=catalog.passport, order=i, text=f"Requisito {i}")
        ServiceChannel.objects.create(service=catalog.passport, channel="phone")
        for i in range(5):
            center = make_center(f"extra-{i}", name=f"Centro MAC Extra {i}", district="150101")
            catalog.passport.offers.create(center=center)
            catalog.passport.categories.add(
                Category.objects.create(name=f"Tema {i}", slug=f"tema-{i}")
            )
        many = count_queries(lambda: client.get(url))

        assert many == few
