"""The survey page opens in the language its invitation was written in. For
an attention in a language the site has no texts for (Aymara, sign
language) the invitation keeps the booking's notices language: the page
follows it rather than the browser's language."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from mac.surveys.models import Response
from mac.surveys.testing import World
from mac.surveys.tests.test_invitation_language import invited

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_pow(settings: Any) -> None:
    settings.APPOINTMENTS = {"POW_REQUIRED": False}


def test_an_aymara_attention_with_quechua_notices_opens_the_page_in_quechua(
    world: World,
    client: Client,
    clock: time_machine.Traveller,
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = invited(
        world, clock, django_capture_on_commit_callbacks, booked_in="qu", checked_in_in="ay"
    )

    page = client.get(f"/encuestas/{invitation.token}/", HTTP_ACCEPT_LANGUAGE="es")

    assert invitation.attention.language == "ay"
    assert page.status_code == 200
    assert page["Content-Language"] == "qu"
    assert '<html lang="qu"' in page.content.decode()
    assert not Response.objects.exists()


def test_the_browsers_own_choice_still_wins(
    world: World,
    client: Client,
    clock: time_machine.Traveller,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    invitation = invited(
        world, clock, django_capture_on_commit_callbacks, booked_in="qu", checked_in_in="ay"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    page = client.get(f"/encuestas/{invitation.token}/")

    assert page["Content-Language"] == "es"
    assert '<html lang="es"' in page.content.decode()
