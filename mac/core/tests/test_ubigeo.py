"""The INEI ubigeo tables loaded by the migration."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from mac.core.models import Department, District, Province
from mac.core.ubigeo import inei_tables


@pytest.fixture(autouse=True)
def _as_migrated(db: None) -> None:
    """The tables as the migration leaves them. A test with transaction=True
    empties every table after it, and a parallel run (pytest-xdist) may give
    this worker one of those first: then the migration's own code runs again."""
    if not Department.objects.exists():
        migration = importlib.import_module("mac.core.migrations.0002_load_ubigeo").Migration
        (load_tables,) = migration.operations
        load_tables.code(django_apps, None)


@pytest.mark.django_db
class TestUbigeo:
    def test_it_loads_every_department_province_and_district(self):
        assert Department.objects.count() == 25
        assert Province.objects.count() == 196
        assert District.objects.count() == 1893

    def test_it_knows_comas_in_lima(self):
        comas = District.objects.select_related("province__department").get(code="150110")

        assert comas.name.upper() == "COMAS"
        assert comas.province.code == "1501"
        assert comas.province.department.code == "15"
        assert comas.department_code == "15"

    def test_it_links_every_district_to_its_province_by_code(self):
        mismatched = [
            code
            for code, province in District.objects.values_list("code", "province_id")
            if code[:4] != province
        ]

        assert mismatched == []

    def test_it_can_load_twice_without_duplicates(self):
        from django.apps import apps

        from mac.core.ubigeo import load

        load(apps)

        assert District.objects.count() == 1893

    def test_it_reads_the_same_tables_it_loaded(self):
        departments, provinces, districts = inei_tables()

        assert (len(departments), len(provinces), len(districts)) == (25, 196, 1893)
