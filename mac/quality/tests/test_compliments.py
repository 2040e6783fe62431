"""Compliments (felicitaciones): a light form, name and document optional, a
code, linked to the advisor when the name matches one; staff see them
scoped by entity (an advisor, those that name them)."""

from __future__ import annotations

import pytest

from mac.quality import actions
from mac.quality.errors import Invalid
from mac.quality.models import Compliment, PersonalDataAccess

pytestmark = pytest.mark.django_db


def post(client, world, **changes):
    data = {
        "entity": str(world.personas.reniec.pk),
        "channel": "center",
        "center": str(world.personas.lima_norte.pk),
        "advisor_name": "",
        "counter": "",
        "text": "Me atendieron con paciencia y en quechua.",
        "name": "",
        "document_type": "dni",
        "document_number": "",
    }
    data.update(changes)
    return client.post("/felicitaciones/", data)


class TestCompliments:
    def test_it_takes_an_anonymous_compliment_and_gives_a_code(self, client, world, clock):
        response = post(client, world)
        page = client.get("/felicitaciones/gracias/").content.decode()

        compliment = Compliment.objects.get()
        assert response["Location"] == "/felicitaciones/gracias/"
        assert (compliment.code, compliment.name, compliment.document_number) == (
            "FEL-RENIEC-2026-000001",
            "",
            "",
        )
        assert compliment.center == world.personas.lima_norte
        assert '<p class="booking-code" id="codigo-felicitacion">FEL-RENIEC-2026-000001</p>' in page

    def test_it_links_the_advisor_named(self, client, world):
        bob = world.personas.bob
        bob.first_name, bob.last_name = "Roberto", "Huamán"
        bob.save()

        post(client, world, advisor_name="  roberto  HUAMAN ", counter="4")

        compliment = Compliment.objects.get()
        assert (compliment.advisor, compliment.advisor_name, compliment.counter) == (
            bob,
            "roberto HUAMAN",
            "4",
        )

    def test_it_keeps_an_unknown_advisor_name_unlinked(self, world):
        compliment = actions.file_compliment(
            entity=world.personas.reniec,
            channel="center",
            center=world.personas.lima_norte,
            advisor_name="Nadie Conocido",
            text="Gracias.",
        )

        assert (compliment.advisor, compliment.advisor_name) == (None, "Nadie Conocido")

    def test_it_refuses_an_invalid_document_and_stores_nothing(self, client, world):
        response = post(client, world, document_number="123")

        assert response.status_code == 422
        assert "El DNI tiene 8 dígitos." in response.content.decode()
        assert Compliment.objects.count() == 0

    def test_it_refuses_an_empty_text(self, world):
        with pytest.raises(Invalid) as refused:
            actions.file_compliment(entity=world.personas.reniec, channel="portal", text=" ")

        assert refused.value.code == "text_required"
        assert Compliment.objects.count() == 0

    def test_staff_see_their_entitys_compliments(self, client, world):
        p = world.personas
        bob = p.bob
        bob.first_name, bob.last_name = "Roberto", "Huamán"
        bob.save()
        actions.file_compliment(
            entity=p.reniec,
            channel="center",
            center=p.lima_norte,
            advisor_name="Roberto Huamán",
            text="Gracias RENIEC.",
        )
        actions.file_compliment(entity=p.sunat, channel="portal", text="Gracias SUNAT.")

        seen = {}
        for user in [p.carol, world.sofia, p.alice, bob, p.charlie]:
            client.force_login(user)
            body = client.get("/felicitaciones/personal/").content.decode()
            seen[user.username] = [t for t in ["Gracias RENIEC.", "Gracias SUNAT."] if t in body]

        assert seen == {
            "carol": ["Gracias RENIEC."],
            "sofia": ["Gracias SUNAT."],
            "alice": ["Gracias RENIEC.", "Gracias SUNAT."],
            "bob": ["Gracias RENIEC."],
            "charlie": [],
        }

    def test_each_citizens_name_shown_to_staff_is_logged(self, client, world):
        """A compliment may carry the citizen's name: the staff list shows it,
        so every view of it writes an access row (Ley 29733), as the claims'
        detail does; a compliment without a name writes none."""
        p = world.personas
        named = actions.file_compliment(
            entity=p.reniec, channel="portal", text="Gracias.", name="Ana Quispe Mamani"
        )
        actions.file_compliment(entity=p.reniec, channel="portal", text="Gracias, anónimo.")
        actions.file_compliment(
            entity=p.sunat, channel="portal", text="Gracias SUNAT.", name="Luis Poma"
        )
        client.force_login(p.carol)

        body = client.get("/felicitaciones/personal/").content.decode()
        client.get("/felicitaciones/personal/")

        assert "Ana Quispe Mamani" in body and "Luis Poma" not in body
        rows = PersonalDataAccess.objects.order_by("pk")
        assert list(rows.values_list("username", "purpose", "object_type", "label")) == [
            ("carol", "list", "quality.compliment", named.code),
            ("carol", "list", "quality.compliment", named.code),
        ]
        assert [row.object_id for row in rows] == [str(named.pk)] * 2
