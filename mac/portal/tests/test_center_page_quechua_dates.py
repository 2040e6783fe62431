"""The upcoming changes of a center's hours name their days in the page's
language: Quechua names on a Quechua page, not Django's Spanish ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client

from mac.core.calendar import LIMA

from .conftest import Catalog

# Thursday: the fixture's closing for inventory falls three days later, on
# Sunday the 6th; the holidays of the 8th and the 9th are within the week.
THURSDAY = dt.datetime(2026, 12, 3, 9, 0, tzinfo=LIMA)


@pytest.fixture
def thursday() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(THURSDAY, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
class TestCenterPageQuechuaDates:
    def test_it_names_the_days_of_the_changes_in_quechua(
        self, client: Client, thursday: time_machine.Traveller, catalog: Catalog
    ) -> None:
        client.post("/i18n/setlang/", {"language": "qu", "next": "/"})

        html = client.get("/centros/lima-norte/").content.decode()

        assert "<li><strong>Intichaw 6 Qhapaq raymi killa</strong>:" in html
        assert "<li><strong>Atichaw 8 Qhapaq raymi killa</strong>:" in html
        assert "<li><strong>Quyllurchaw 9 Qhapaq raymi killa</strong>:" in html
        assert "diciembre" not in html

    def test_it_keeps_the_spanish_names_on_a_spanish_page(
        self, client: Client, thursday: time_machine.Traveller, catalog: Catalog
    ) -> None:
        html = client.get("/centros/lima-norte/").content.decode()

        assert "<li><strong>domingo 6 de diciembre</strong>:" in html
        assert "<li><strong>martes 8 de diciembre</strong>:" in html
