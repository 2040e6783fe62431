from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from mac.centers.models import Center, OpeningException
from mac.core.calendar import LIMA
from mac.core.testing import make_center

from .conftest import Catalog

# A Wednesday in the past, so that no exception of the fixture falls on it.
# Lima is UTC-5 all year (no daylight saving time).
WEDNESDAY_10_AM = dt.datetime(2020, 3, 4, 10, 0, tzinfo=LIMA)
WEDNESDAY_7_PM = dt.datetime(2020, 3, 4, 19, 0, tzinfo=LIMA)


@pytest.mark.django_db
class TestCentersPage:
    def test_it_lists_operating_centers_by_region_with_address(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get("/centros/").content.decode()

        arequipa = html.index('<h3 class="heading-m region">Arequipa</h3>')
        lima = html.index('<h3 class="heading-m region">Lima</h3>')
        assert arequipa < lima
        assert '<a href="/centros/lima-norte/">Centro MAC Lima Norte</a>' in html
        assert "Av. Los Ángeles 602, Mallplaza Comas — Comas" in html
        assert "Av. Porongoche 500 — Paucarpata" in html

    def test_it_lists_centers_in_implementation_after_the_operating_ones(
        self, client: Client, catalog: Catalog
    ) -> None:
        html = client.get("/centros/").content.decode()

        assert html.index("Centros en funcionamiento") < html.index("Centros en implementación")
        section = html[html.index("Centros en implementación") :]
        assert '<a href="/centros/ayacucho/">Centro MAC Ayacucho</a>' in section
        assert "Abierto ahora" not in section and "Cerrado ahora" not in section

    def test_it_hides_closed_centers(self, client: Client, catalog: Catalog) -> None:
        make_center("cerrado", name="Centro MAC Antiguo", status=Center.Status.CLOSED)

        assert "Centro MAC Antiguo" not in client.get("/centros/").content.decode()

    def test_it_says_open_now_during_opening_hours(self, client: Client, catalog: Catalog) -> None:
        with time_machine.travel(WEDNESDAY_10_AM, tick=False):
            html = client.get("/centros/").content.decode()

        assert html.count("Abierto ahora") == 2
        assert "Cerrado ahora" not in html

    def test_it_says_closed_now_after_hours(self, client: Client, catalog: Catalog) -> None:
        with time_machine.travel(WEDNESDAY_7_PM, tick=False):
            html = client.get("/centros/").content.decode()

        assert html.count("Cerrado ahora") == 2
        assert "Abierto ahora" not in html

    def test_it_says_closed_now_on_an_exception_day(self, client: Client, catalog: Catalog) -> None:
        OpeningException.objects.create(
            center=catalog.arequipa, date=WEDNESDAY_10_AM.date(), reason="Feriado regional"
        )

        with time_machine.travel(WEDNESDAY_10_AM, tick=False):
            html = client.get("/centros/").content.decode()

        arequipa = html[html.index("Centro MAC Arequipa") : html.index("Centro MAC Lima Norte")]
        assert "Cerrado ahora" in arequipa
        assert html.count("Abierto ahora") == 1

    def test_it_uses_lima_time_not_utc(self, client: Client, catalog: Catalog) -> None:
        # 13:29 UTC is 8:29 in Lima, a minute before opening; 13:30 UTC is 8:30.
        with time_machine.travel(dt.datetime(2020, 3, 4, 13, 29, tzinfo=dt.UTC), tick=False):
            before = client.get("/centros/").content.decode()
        with time_machine.travel(dt.datetime(2020, 3, 4, 13, 30, tzinfo=dt.UTC), tick=False):
            opening = client.get("/centros/").content.decode()

        assert "Abierto ahora" not in before
        assert opening.count("Abierto ahora") == 2
