"""Every field the back office shows has a Spanish label: a field without a
verbose_name shows its code name ("Center:", "Transferred to:", "Por
center") on the pages of tickets, attentions, counters and places."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client

from mac.accounts.models import Role
from mac.core.calendar import LIMA
from mac.core.testing import make_user
from mac.queueing import actions
from mac.queueing.testing import make_counter, make_entity, queue_center, queue_service

pytestmark = pytest.mark.django_db

# Code names that read the same in Spanish, or that only national staff meet.
SAME_IN_SPANISH = {"sector", "slug", "digest", "ticket"}


def test_every_field_of_the_back_office_has_a_spanish_label() -> None:
    unnamed = sorted(
        f"{model._meta.label}.{field.name}"
        for model in admin.site._registry
        if model.__module__.startswith("mac.")
        for field in model._meta.concrete_fields
        if field.name not in SAME_IN_SPANISH
        and str(field.verbose_name) == field.name.replace("_", " ")
    )

    assert unnamed == []


def test_a_tickets_page_reads_in_spanish(client: Client) -> None:
    center = queue_center("lima-norte")
    reniec = make_entity("RENIEC")
    dni = queue_service(reniec, "DNI", center)
    make_counter(center, reniec, 1, [dni])
    # At an hour the center is open, whenever the test runs (a Tuesday morning).
    ticket = actions.issue_ticket(center, dni, now=dt.datetime(2026, 11, 3, 10, 0, tzinfo=LIMA))
    client.force_login(make_user("cora", Role.CENTER_COORDINATOR, center=center, is_staff=True))

    page = client.get(f"/admin/queueing/ticket/{ticket.pk}/change/").content.decode()

    for label in ("Visita:", "Centro MAC:", "Servicio:", "Entidad:", "Módulo:", "Derivado a:"):
        assert f">{label}</label>" in page
    for english in ("Visit:", "Center:", "Service:", "Entity:", "Counter:", "Transferred to:"):
        assert f">{english}</label>" not in page
