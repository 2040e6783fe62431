"""The kiosk's used one-time form keys serve only while a form could still
carry them (two hours): the worker's housekeeping deletes them after a day,
instead of keeping one row per ticket forever."""

from __future__ import annotations

import datetime as dt

import pytest

from mac.core import housekeeping
from mac.core.testing import make_center
from mac.screens.models import KioskRequest

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)


def test_housekeeping_deletes_the_keys_of_more_than_a_day_ago():
    # given: keys used 25 h, exactly 24 h and 2 h ago
    center = make_center("lima-norte")
    for hours, key in [(25, "old"), (24, "edge"), (2, "recent")]:
        KioskRequest.objects.create(
            key=key, center=center, created_at=NOW - dt.timedelta(hours=hours)
        )

    # when
    deleted = housekeeping.prune(NOW)

    # then
    assert deleted["kiosk_requests"] == 1
    assert sorted(KioskRequest.objects.values_list("key", flat=True)) == ["edge", "recent"]
    assert housekeeping.prune(NOW)["kiosk_requests"] == 0
