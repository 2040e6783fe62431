"""The survey link speaks the language the citizen was attended in: a citizen
served in Quechua opens it in Quechua (as their status page), answers in it
and is thanked in it. The language switch still works, and the phone's own
choice (the language cookie) goes first."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from mac.queueing.models import Attention
from mac.surveys import actions
from mac.surveys.models import Invitation, Response
from mac.surveys.testing import GOOD, World, attend

pytestmark = pytest.mark.django_db

QUECHUA_HEADING = "¿Imaynatam atienderqaykiku?"
SPANISH_HEADING = "¿Cómo te atendimos?"


def offered(world: World, language: str) -> Invitation:
    world.reniec_counter.languages = ["es", "qu"]  # Bob speaks Quechua too
    world.reniec_counter.save(update_fields=["languages"])
    attention: Attention = attend(world.reniec_counter, world.bob, world.dni, language=language)
    assert attention.language == language
    return actions.offer(attention)


def link(invitation: Invitation, rest: str = "") -> str:
    return f"/encuestas/{invitation.token}/{rest}"


class TestLinkLanguage:
    def test_a_citizen_attended_in_quechua_answers_and_is_thanked_in_quechua(
        self, world: World, client: Client
    ) -> None:
        # given
        invitation = offered(world, "qu")

        # when
        page = client.get(link(invitation))
        posted = client.post(link(invitation), GOOD)
        thanks = client.get(posted["Location"])

        # then
        text = page.content.decode()
        assert page.status_code == 200 and page["Content-Language"] == "qu"
        assert '<html lang="qu">' in text and QUECHUA_HEADING in text
        assert 'action="/i18n/setlang/"' in text  # the language switch is there
        assert posted.status_code == 302 and posted["Location"] == link(invitation, "gracias/")
        assert Response.objects.get().language == "qu"
        assert thanks.status_code == 200 and thanks["Content-Language"] == "qu"
        assert "¡Añaychayki kutichisqaykimanta!" in thanks.content.decode()
        assert settings.LANGUAGE_COOKIE_NAME not in client.cookies  # nothing chosen for them

    def test_a_citizen_attended_in_spanish_gets_it_in_spanish(
        self, world: World, client: Client
    ) -> None:
        invitation = offered(world, "es")

        page = client.get(link(invitation))

        assert page["Content-Language"] == "es"
        assert '<html lang="es">' in page.content.decode()
        assert SPANISH_HEADING in page.content.decode()

    def test_the_language_switch_goes_first(self, world: World, client: Client) -> None:
        # given: attended in Quechua, the citizen switches to Spanish on the page
        invitation = offered(world, "qu")
        switched = client.post("/i18n/setlang/", {"language": "es", "next": link(invitation)})

        # when
        page = client.get(switched["Location"])
        posted = client.post(link(invitation), GOOD)
        thanks = client.get(posted["Location"])

        # then
        assert switched["Location"] == link(invitation)
        assert page["Content-Language"] == "es" and SPANISH_HEADING in page.content.decode()
        assert Response.objects.get().language == "es"
        assert "¡Gracias por responder!" in thanks.content.decode()

    def test_a_refusal_speaks_the_citizens_language_too(self, world: World, client: Client) -> None:
        invitation = offered(world, "qu")
        actions.answer(invitation.token, GOOD, language="qu")

        again = client.get(link(invitation))

        assert again.status_code == 409 and again["Content-Language"] == "qu"
        assert '<html lang="qu">' in again.content.decode()

    def test_the_thanks_of_a_link_not_answered_goes_back_to_it(
        self, world: World, client: Client
    ) -> None:
        invitation = offered(world, "qu")

        early = client.get(link(invitation, "gracias/"))
        unknown = client.get("/encuestas/no-es-un-enlace/gracias/")

        assert (early.status_code, early["Location"]) == (302, link(invitation))
        assert "no-store" in early["Cache-Control"]
        assert (unknown.status_code, unknown["Location"]) == (302, "/encuestas/no-es-un-enlace/")
