"""Each field of the orientation desk's visit form has its own id, and its
label names it (WCAG 1.3.1, 4.1.2): "Lengua" is the language select's."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from mac.screens.tests import test_kiosk_setup as setup
from mac.screens.tests.test_kiosk_setup import World

# Shared fixtures (pytest finds them by these module attributes).
_fresh_caches = setup._fresh_caches
frozen = setup.frozen
world = setup.world


class TestOrientationLabels:
    def test_it_labels_each_select_of_the_visit(self, world: World, frozen: None) -> None:
        client = Client()
        client.force_login(world.olga)

        body = client.get(reverse("screens:orientation", args=["lima-norte"])).content.decode()

        selects = re.findall(r'<select class="select" name="([^"]*)" id="([^"]*)"', body)
        labels = dict(re.findall(r'<label class="label" for="([^"]*)">([^<]*)<', body))
        assert selects == [("priority_reason", "desk-priority"), ("language", "desk-language")]
        assert labels["desk-priority"] == "Atención preferente"
        assert labels["desk-language"] == "Lengua"
        ids = re.findall(r'\bid="([^"]*)"', body)
        assert sorted({i for i in ids if ids.count(i) > 1}) == []
