"""The staff's sign-in page: any active account, with or without back-office
access; each goes back to the page it asked for, or to its own screen."""

from __future__ import annotations

import pytest
from django.test import Client

from mac.accounts.models import Role
from mac.core.testing import PASSWORD, Personas, make_user

pytestmark = pytest.mark.django_db

URL = "/personal/entrar/"


def sign_in(client: Client, username: str, password: str = PASSWORD, next: str = ""):
    data = {"username": username, "password": password}
    if next:
        data["next"] = next
    return client.post(URL, data)


class TestSignIn:
    def test_it_sends_each_role_to_its_own_screen(self, client: Client, personas: Personas) -> None:
        center = personas.lima_norte
        make_user("olga", Role.ORIENTATION, center=center)
        make_user("ana-op", Role.CALL_CENTER)

        landed = {}
        for username in ("bob", "olga", "ana-op", "alice"):
            landed[username] = sign_in(Client(), username)["Location"]

        assert landed == {
            "bob": "/centros/lima-norte/modulo/",
            "olga": "/centros/lima-norte/orientacion/",
            "ana-op": "/reclamaciones/personal/nuevo/",
            "alice": "/admin/",
        }

    def test_it_goes_back_to_the_page_asked_for_and_never_to_another_site(
        self, client: Client, personas: Personas
    ) -> None:
        back = sign_in(Client(), "bob", next="/reclamaciones/personal/nuevo/")
        away = sign_in(Client(), "bob", next="https://example.com/")

        assert back.status_code == 302
        assert back["Location"] == "/reclamaciones/personal/nuevo/"
        assert away["Location"] == "/centros/lima-norte/modulo/"

    def test_it_refuses_a_wrong_password_with_a_message(
        self, client: Client, personas: Personas
    ) -> None:
        response = sign_in(client, "bob", password="otra-clave")

        assert response.status_code == 200
        assert "El usuario o la contraseña no son correctos." in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_it_refuses_a_deactivated_account(self, client: Client, personas: Personas) -> None:
        personas.bob.is_active = False
        personas.bob.save(update_fields=["is_active"])

        response = sign_in(client, "bob")

        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    def test_the_screens_send_anonymous_visitors_here(self, client: Client, personas) -> None:
        response = client.get("/centros/lima-norte/orientacion/")

        assert response.status_code == 302
        assert response["Location"] == f"{URL}?next=/centros/lima-norte/orientacion/"
