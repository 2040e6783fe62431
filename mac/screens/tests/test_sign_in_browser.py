"""Advisors and orientation staff have no back-office access (no is_staff),
yet they must sign in to their screens: the sign-in page takes any active
staff account, and brings it back to the screen it asked for."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mac.core.testing import PASSWORD
from mac.core.tests.browser import assert_accessible

from .test_live_state_stream import Screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class TestSignInBrowser:
    @pytest.mark.parametrize(
        ("who", "path", "heading"),
        [
            ("bob", "/centros/lima-norte/modulo/", "Elija su módulo"),
            ("olga", "/centros/lima-norte/orientacion/", "1. Buscar el trámite"),
        ],
        ids=["advisor", "orientation"],
    )
    def test_it_signs_in_a_user_without_back_office_access_to_their_screen(
        self, page: Page, base: str, screen: Screen, who: str, path: str, heading: str
    ) -> None:
        # given an advisor or orientation staff, who may not use the back office
        user = getattr(screen, who)
        assert not user.is_staff

        # when they open their screen and sign in on the page it sends them to
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_have_text("Ingreso del personal")
        assert_accessible(page)
        page.get_by_label("Usuario").fill(user.username)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Ingresar").click()

        # then they are at their screen
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        assert page.url == base + path

    def test_it_says_when_the_password_is_wrong_and_signs_nobody_in(
        self, page: Page, base: str, screen: Screen
    ) -> None:
        page.goto(base + "/centros/lima-norte/modulo/")
        page.get_by_label("Usuario").fill("bob")
        page.get_by_label("Contraseña").fill("otra-clave")
        page.get_by_role("button", name="Ingresar").click()

        expect(page.get_by_role("alert")).to_have_text(
            "El usuario o la contraseña no son correctos. Revise las mayúsculas."
        )
        assert_accessible(page)
        assert "sessionid" not in {c["name"] for c in page.context.cookies()}
